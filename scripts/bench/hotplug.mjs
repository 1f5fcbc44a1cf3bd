/**
 * The report's section for hotplug.json (scripts/bench.mjs), from the QEMU rig: UDC bind -> raw usb attach event
 * vs the app's device.changed, step by step. Issue 24 goal 3: device.changed within 30 ms of the raw attach event
 * (median of each plug-in's difference).
 */
import { msTable } from './tables.mjs'

/** The section's lines from the benchmark's JSON (with the host's load average before and after the rig). */
export function section(h) {
  const over = h.appOverRawMs.median
  return [
    '## Hotplug: UDC bind to event (usb-vm rig)',
    '',
    `${h.runs} plug-ins; ${h.environment}. Host load average (1, 5, 15 min) before the rig: ${h.hostLoadAverage.before}; after: ${h.hostLoadAverage.after}.`,
    '',
    ...msTable('measure', [
      ['raw `usb` attach event (peer)', h.rawUsbAttachMs],
      ['app `device.changed` attached', h.appDeviceChangedMs],
      ['app over raw', h.appOverRawMs],
      ['app `device.changed` with the configuration (declared power, interfaces)', h.appDetailsMs],
      ['app device ready (HID matched, descriptor read, driver open)', h.appReadyMs]
    ]),
    '',
    'Where the time goes, step by step (each from the step before it; the first from the UDC bind):',
    '',
    ...msTable('step', [
      ['UDC bind -> raw `usb` attach event (the kernel, udev, libusb)', h.steps.raw],
      ['-> the device layer has the attach (device descriptor and port only)', h.steps.port],
      ['-> catalog match, record and lists built, handed to the event bus', h.steps.emitAttached],
      ['-> contract check, `device.changed` attached delivered', h.steps.attached],
      ['-> configuration descriptor read, `device.changed` updated', h.steps.details],
      [`-> HID interface listed by node-hid (${h.hidEnumerations.median} enumeration(s))`, h.steps.hidFound],
      ['-> report descriptor read from sysfs', h.steps.descriptor],
      ['-> hidraw node opened', h.steps.opened],
      ['-> firmware interface looked for, driver started, `device.changed` ready', h.steps.ready]
    ]),
    '',
    '| goal | Dialtone | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| device.changed after the raw usb attach (median) | ${h.appDeviceChangedMs.median} ms | raw usb attach ${h.rawUsbAttachMs.median} ms | ${(h.appDeviceChangedMs.median / h.rawUsbAttachMs.median).toFixed(2)}x | within 30 ms of the raw event (this run: +${over} ms) | ${over <= 30 ? 'yes' : 'no'} |`,
    ''
  ]
}
