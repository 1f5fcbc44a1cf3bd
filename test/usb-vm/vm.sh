#!/usr/bin/env bash
# Boots a Debian kernel under QEMU (TCG) with a small initramfs, shares the project over 9p at the same
# absolute path, runs one command in the guest as root, and exits with that command's status.
#   bash test/usb-vm/vm.sh [-k "key=value ..."] -- 'command'
# The guest has a real Linux USB stack: dummy_hcd (two UDC/host pairs), libcomposite/configfs gadgets, usbhid,
# hidraw, udevd (libusb's hotplug listens to udev). The kernel and initramfs are cached outside the project
# (big trees under 9p slow everything down): $DIALTONE_VM_CACHE, default ~/.cache/dialtone-usb-vm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$here/../.." && pwd)"
cache="${DIALTONE_VM_CACHE:-$HOME/.cache/dialtone-usb-vm}"
extra=""
while [ $# -gt 0 ]; do
  case "$1" in
    -k) extra="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: vm.sh [-k 'k=v ...'] -- 'command'" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: vm.sh [-k 'k=v ...'] -- 'command'" >&2; exit 2; }
mkdir -p "$cache"

# 1. The kernel: the version Debian's linux-image-amd64 points at, downloaded and unpacked (not installed).
kver="$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -n1)"
if [ -z "$kver" ]; then
  apt-get update -qq
  kver="$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -n1)"
fi
kroot="$cache/kroot-$kver"
if [ ! -f "$kroot/.ready" ]; then
  echo "usb-vm: fetching kernel $kver" >&2
  rm -rf "$kroot" "$cache/deb" && mkdir -p "$cache/deb" && chmod 777 "$cache/deb"
  (cd "$cache/deb" && apt-get download -q "linux-image-$kver" >/dev/null 2>&1) ||
    { apt-get update -qq && (cd "$cache/deb" && apt-get download -q "linux-image-$kver" >/dev/null); }
  dpkg-deb -x "$cache"/deb/linux-image-*.deb "$kroot"
  busybox depmod -b "$kroot" "$kver"
  rm -rf "$cache/deb"
  touch "$kroot/.ready"
fi

# 2. The initramfs, rebuilt when its inputs change.
initrd="$(bash "$here/build-initramfs.sh" "$kroot" "$kver" "$cache" "$project")"

# 3. Boot. Unknown key=value kernel parameters reach /init as environment variables.
# Single-threaded TCG and a CPU model without AVX: with multi-threaded TCG (QEMU 7.2) node crashed in about
# one run in three, executing from unmapped memory (SIGSEGV/SIGILL in V8-generated code, core dumps read with
# gdb); with thread=single, 8 of 8 runs of the same script were clean.
qcmd="$(printf '%s' "$1" | base64 -w0)"
# node_modules as a link to a shared install (a git worktree's): share the target at its own path too.
deps=()
if [ -L "$project/node_modules" ]; then
  depsdir="$(readlink -f "$project/node_modules")"
  extra="$extra depsdir=$depsdir"
  deps=(-virtfs "local,path=$depsdir,mount_tag=deps,security_model=none,multidevs=remap")
fi
log="$(mktemp)"
set +e
timeout "${DIALTONE_VM_TIMEOUT:-600}" qemu-system-x86_64 -accel "tcg,thread=${DIALTONE_VM_TCG_THREAD:-single}" -smp 2 -cpu "${DIALTONE_VM_CPU:-Nehalem}" -m 1536 \
  -nographic -no-reboot -nic none -monitor none -serial stdio -fw_cfg name=etc/sercon-port,string=0 \
  -kernel "$kroot/boot/vmlinuz-$kver" -initrd "$initrd" \
  -append "console=ttyS0 loglevel=3 panic=-1 workdir=$project qcmd=$qcmd $extra" \
  -virtfs "local,path=$project,mount_tag=work,security_model=none,multidevs=remap" "${deps[@]}" </dev/null | tee "$log"
qrc=${PIPESTATUS[0]}
set -e
rc="$(sed -n 's/^QVM_EXIT=\([0-9]*\).*/\1/p' "$log" | tail -n1)"
rm -f "$log"
if [ -z "$rc" ]; then
  echo "usb-vm: the guest did not report an exit status (qemu exit $qrc)" >&2
  exit 125
fi
exit "$rc"
