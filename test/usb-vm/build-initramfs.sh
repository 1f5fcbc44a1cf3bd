#!/usr/bin/env bash
# Builds the guest's initramfs and prints its path: busybox, the host's node and udevd with their libraries,
# lsusb, the libraries the project's native addons load, and the kernel modules for 9p, virtio, USB and HID.
#   build-initramfs.sh KROOT KVER CACHE PROJECT
set -euo pipefail
kroot="$1"; kver="$2"; cache="$3"; project="$4"
here="$(cd "$(dirname "$0")" && pwd)"
node_bin="$(command -v node)"
udevd="$(ls /lib/systemd/systemd-udevd /usr/lib/systemd/systemd-udevd 2>/dev/null | head -n1)"
addons="$(find "$project/node_modules/usb/prebuilds/linux-x64" "$project/node_modules/node-hid/prebuilds" \
  -path '*linux-x64*' -name '*.node' 2>/dev/null | grep -v musl || true)"

key="$( (echo "$kver"; sha256sum "$here/guest/init" "$here/build-initramfs.sh" "$node_bin" "$udevd" $addons) | sha256sum | cut -c1-16)"
out="$cache/initramfs-$key.cpio"
if [ -f "$out" ]; then echo "$out"; exit 0; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,sbin,usr/bin,usr/local/bin,lib,lib64,etc/udev,proc,sys,dev,run,tmp,root}
cp /bin/busybox "$work/bin/busybox"
for applet in $("$work/bin/busybox" --list); do
  [ -e "$work/bin/$applet" ] || ln -s busybox "$work/bin/$applet"
done
cp "$node_bin" "$work/usr/local/bin/node"
cp "$udevd" "$work/sbin/udevd"
cp "$(command -v udevadm)" "$work/bin/udevadm.real" 2>/dev/null || true
cp "$(command -v lsusb)" "$work/usr/bin/lsusb"

# Shared libraries of every binary and addon, at their own paths (ldd fails on foreign files: ignore those).
for bin in "$node_bin" "$udevd" "$(command -v lsusb)" $addons; do
  { ldd "$bin" 2>/dev/null || true; } | awk '{ for (i = 1; i <= NF; i++) if (substr($i, 1, 1) == "/") print $i }'
done | sort -u | while read -r lib; do
  mkdir -p "$work$(dirname "$lib")"
  cp -L "$lib" "$work$lib"
done
# lsusb's vendor names, when the host has them.
[ -f /usr/share/misc/usb.ids ] && mkdir -p "$work/usr/share/misc" && cp /usr/share/misc/usb.ids "$work/usr/share/misc/"
# The fonts the service draws its PDFs in (src/server/pdf/fonts.ts): the attestation tests start the development
# service in the guest, and it refuses to start without them.
mkdir -p "$work/usr/share/fonts/truetype/dejavu"
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf \
  "$work/usr/share/fonts/truetype/dejavu/"

# Kernel modules: the trees that hold what the guest loads, plus the dependency index.
mdir="lib/modules/$kver"
mkdir -p "$work/$mdir/kernel"
cp "$kroot/$mdir"/modules.* "$work/$mdir/"
for tree in drivers/usb drivers/hid drivers/virtio drivers/scsi drivers/cdrom drivers/input fs/9p fs/configfs net/9p fs/netfs fs/fscache lib crypto; do
  if [ -d "$kroot/$mdir/kernel/$tree" ]; then
    mkdir -p "$work/$mdir/kernel/$tree"
    cp -r "$kroot/$mdir/kernel/$tree/." "$work/$mdir/kernel/$tree/"
  fi
done

cp "$here/guest/init" "$work/init"
chmod +x "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
# Keep only the newest initramfs.
find "$cache" -maxdepth 1 -name 'initramfs-*.cpio' ! -name "$(basename "$out")" -delete
echo "$out"
