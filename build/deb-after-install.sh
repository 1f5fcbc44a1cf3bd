#!/bin/sh
# Dialtone .deb: install the udev rule that lets the person at the seat open the dongle, then re-probe USB.
set -e
install -m 0644 /opt/Dialtone/resources/resources/udev/70-dialtone.rules /etc/udev/rules.d/70-dialtone.rules
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=usb --subsystem-match=hidraw --action=change || true
fi
