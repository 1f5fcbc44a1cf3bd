/**
 * Where a Diagnostics verdict's fix sends the person, when that place is in the app: "Install Dialtone's device
 * rule (Setup offers to)" is the setup wizard on the Device page; "attach the report to the ticket" is Help, whose
 * support form sends the diagnostics report with the request. The other fixes are done at the computer itself (a
 * port, a hub, the system's power settings), with nothing to link to.
 * test/unit/renderer/setup-diagnostics-places.test.ts holds the fixes' words and this table together.
 */
import type { VerdictCode } from '../../../shared/diagnostics/verdicts'
import { DEVICE, type Remedy, SUPPORT } from '../remedies'

export const VERDICT_PLACES: Readonly<Partial<Record<VerdictCode, Remedy & { readonly testId: string }>>> = {
  PERMISSION: { ...DEVICE, testId: 'verdict-to-setup' },
  NOT_INSPECTED: { ...SUPPORT, testId: 'verdict-to-help' }
}
