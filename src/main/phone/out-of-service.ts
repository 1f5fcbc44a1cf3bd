/**
 * The line the phone registers when none of the account's lines is in service, and why it is out of service. A
 * line that activated once keeps its SIP credentials until it closes (the service says so with `sipAccount`), and
 * the SIP server lets it call 911 and 933 only (docs/emergency.md): so it registers, and the Phone page says why
 * nothing else goes out — suspended by support, no 911 address on record, or the paid service ended.
 */
import type { LineInfo } from '../../shared/api/devices'
import type { LineProblem } from '../../shared/ipc/phone'

export const OUT_OF_SERVICE = [
  'serviceLapsed',
  'serviceSuspended',
  'addressMissing'
] as const satisfies readonly LineProblem[]
export type OutOfService = (typeof OUT_OF_SERVICE)[number]

/** Whether the line has credentials to register with (an older service without the flag: it had a number once). */
export const hasCredentials = (l: LineInfo): boolean =>
  l.status !== 'closed' && (l.sipAccount ?? (l.number !== null && l.status !== 'pending'))

export function whyOutOfService(l: LineInfo): OutOfService {
  if (l.status === 'suspended') return 'serviceSuspended'
  if (l.missing.includes('e911')) return 'addressMissing'
  return 'serviceLapsed'
}
