/**
 * Whether the finished setup may say "ready": the line registered AND nothing wrong with it. A line suspended by
 * support, lapsed or without its 911 address stays registered (911 must still go out) but carries a problem; the
 * Device page said "Your dongle is ready" over it while the Phone page and the status bar told the suspension
 * (newcomer's run). The wizard shows the line's problem instead (LineProblem).
 */
import type { LineStatus } from '../../../../shared/ipc/phone'

export const lineReady = (line: LineStatus | undefined): boolean =>
  line?.state === 'registered' && line.problem === null
