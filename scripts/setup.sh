#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Dialtone: the system packages the app and its test suites use,
# then the npm dependencies. Safe to run again. Electron's binary download is skipped, because machines
# without access to its download host would fail; see the README for getting the binary on a desktop.
set -euo pipefail
cd "$(dirname "$0")/.."

# libusb-1.0-0: node-hid's native module; chromium: the calls' browser (media suite), the benchmarks' and the icons';
# chromium-headless-shell: the same Chromium without the browser around it, the e2e suite's and the journeys'
# browser (test/support/chromium.ts says why); xvfb: headed screenshots;
# qemu-system-x86 busybox-static cpio udev usbutils zstd: the usb-vm rig (test/usb-vm/vm.sh);
# build-essential python3: better-sqlite3 compiles its native module from source (about a minute);
# postgresql: the service's scale-out database (tests start a private cluster); kamailio + modules: the SIP
# server (npm run stack, service tests; kamailio-cnxcc-modules: the credit control of calls abroad);
# sip-tester: sipp, an independent SIP peer; sox minimodem multimon-ng:
# independent decoders of the tones, caller ID and DTMF the phone synthesises (sox also makes the voicemail
# server's audio); baresip: a second independent SIP peer, and the voicemail server's lines; iproute2 util-linux: the loopback-only network namespace of the media suite (scripts/netns.mjs);
# haproxy: the load balancer the trusted-proxy test puts in front of the service, and the lines' TLS door in front of
# Kamailio (resources/haproxy/sip-wss.cfg); openssl: that door's test certificate; rtpengine-daemon: the media
# relay between the app's WebRTC and the carriers' plain RTP (userspace, no kernel module); espeak-ng: spoken
# announcements (the 933 address read-back, the voicemail prompts); fonts-dejavu-core: the font the service draws
# its PDFs in (Persian's Arabic script included, src/server/pdf/fonts.ts); poppler-utils: pdftotext, the
# independent reader the tests check those PDFs with.
APT_PACKAGES=(libusb-1.0-0 chromium chromium-headless-shell xvfb qemu-system-x86 busybox-static cpio udev usbutils zstd
  build-essential python3 postgresql kamailio kamailio-websocket-modules kamailio-sqlite-modules
  kamailio-postgres-modules kamailio-cnxcc-modules sip-tester sox minimodem multimon-ng baresip iproute2 util-linux haproxy
  openssl rtpengine-daemon espeak-ng fonts-dejavu-core poppler-utils
  # wrk: the load and scale benchmarks' load generator (C on epoll, so the clients leave the CPU to the service)
  wrk)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_install() {
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  # What npm ci needs itself (a compiler and python3 for better-sqlite3's native module) comes first, when a machine
  # lacks it; the rest installs while npm ci runs (below).
  command -v g++ >/dev/null && command -v make >/dev/null && command -v python3 >/dev/null ||
    apt_install build-essential python3
fi

# npm ci beside the system packages' install: neither needs the other (the compiler is there already), and on a
# fresh machine each takes minutes, mostly waiting on the network and on one core (dpkg; better-sqlite3's compile).
# Its output is held and printed after the packages'.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm_log=$(mktemp)
# Said first: with the packages already installed nothing else is printed until npm ends, minutes later.
echo "Installing the npm dependencies (npm ci, about 2 minutes, beside the system packages; its output follows when it ends)"
npm ci --no-audit --no-fund >"$npm_log" 2>&1 &
npm_pid=$!
trap 'kill "$npm_pid" 2>/dev/null || true; rm -f "$npm_log"' EXIT
apt_ok=0
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}" || apt_ok=$?
npm_ok=0
wait "$npm_pid" || npm_ok=$?
trap 'rm -f "$npm_log"' EXIT # npm has ended: its pid may be another process's now
cat "$npm_log"
[ "$apt_ok" -eq 0 ] || echo "setup: installing the system packages failed" >&2
[ "$npm_ok" -eq 0 ] || echo "setup: npm ci failed" >&2
[ "$apt_ok" -eq 0 ] && [ "$npm_ok" -eq 0 ] && echo "Setup done: \`npm start\` starts Dialtone, \`npm test\` runs every suite."
