/**
 * Which diagnostics verdicts stop the setup at its power step: the port cannot run the dongle reliably (it
 * switched itself off, refused or cannot give the current, the dongle keeps dropping out, the hub fails, the
 * kernel logs failed starts). The setup waits there with the verdict's cause and "try a port on the computer
 * itself", and carries on by itself once the dongle is on a good port. Pure; one list for the engine and tests.
 */
import type { Verdict, VerdictCode } from './verdicts'

export const POWER_STOP_CODES: ReadonlySet<VerdictCode> = new Set<VerdictCode>([
  'OVERCURRENT',
  'REJECTED_CONFIG',
  'POWER_BUDGET',
  'FLAPPING',
  'HUB_FAILING',
  'ENUMERATION'
])

/** The first verdict about this dongle that stops the setup, or null when its port is good enough. */
export function powerStop(verdicts: readonly Verdict[], deviceId: string): Verdict | null {
  return verdicts.find((v) => v.deviceId === deviceId && POWER_STOP_CODES.has(v.code)) ?? null
}
