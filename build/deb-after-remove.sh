#!/bin/sh
# Dialtone .deb: on purge or remove, take the udev rule away again.
set -e
rm -f /etc/udev/rules.d/70-dialtone.rules
if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules || true; fi
