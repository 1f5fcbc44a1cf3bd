#!/bin/sh
# Inside the guest: the usb-vm suites with node:test (through tsx), a readable report on the console and a
# TAP file in test-results/ that the host reads for its summary. Then the rig's self-check: the descriptor
# test run against a deliberately broken TigerJet profile must fail (test-results/usb-vm-broken.tap).
mkdir -p test-results
node --import tsx --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=test-results/usb-vm.tap \
  test/usb-vm/*.test.ts
rc=$?
echo "rig self-check: the same descriptor test with a broken profile (expected to fail)"
DIALTONE_RIG_BREAK=descriptor node --import tsx --test --test-name-pattern='recorded report descriptor' \
  --test-reporter=tap --test-reporter-destination=test-results/usb-vm-broken.tap \
  test/usb-vm/dongle.test.ts >/dev/null 2>&1
grep -E '^# (pass|fail)' test-results/usb-vm-broken.tap
exit $rc
