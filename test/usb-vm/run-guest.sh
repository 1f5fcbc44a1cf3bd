#!/bin/sh
# Inside the guest: the usb-vm suites with node:test (through tsx), a readable report on the console and a
# TAP file in test-results/ that the host reads for its summary.
mkdir -p test-results
exec node --import tsx --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=test-results/usb-vm.tap \
  test/usb-vm/*.test.ts
