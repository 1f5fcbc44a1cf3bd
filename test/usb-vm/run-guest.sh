#!/bin/sh
# Inside the guest: the usb-vm suites with node:test, a readable report on the console and a TAP file in
# test-results/ that the host reads for its summary. The suites run as the plain-JS files bundle-tests.mjs built
# on the host (out/usb-vm/tests/): tsx transforming them here, under TCG and over 9p, cost 20-60 s a file. Then the rig's self-check: the descriptor
# test run against a deliberately broken TigerJet profile must fail (test-results/usb-vm-broken.tap).
mkdir -p test-results
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=test-results/usb-vm.tap \
  out/usb-vm/tests/*.test.mjs
rc=$?
echo "rig self-check: the same descriptor test with a broken profile (expected to fail)"
DIALTONE_RIG_BREAK=descriptor node --test --test-name-pattern='recorded report descriptor' \
  --test-reporter=tap --test-reporter-destination=test-results/usb-vm-broken.tap \
  out/usb-vm/tests/dongle.test.mjs >/dev/null 2>&1
grep -E '^# (pass|fail)' test-results/usb-vm-broken.tap
exit $rc
