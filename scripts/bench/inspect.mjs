/**
 * The report's section for inspect.json (scripts/bench.mjs), from the QEMU rig: a full diagnostics inspection
 * with its verdicts next to `lsusb -v`.
 */
import { msTable } from './tables.mjs'

/** The section's lines from the benchmark's JSON. */
export function section(i) {
  return [
    '## Full diagnostics inspection (usb-vm rig)',
    '',
    `${i.runs} runs each; ${i.environment}.`,
    '',
    ...msTable('measure', [
      ['`lsusb -v -d 06e6:c200` (peer)', i.lsusbVerboseMs],
      ['Dialtone inspection + verdicts', i.inspectMs]
    ]),
    ''
  ]
}
