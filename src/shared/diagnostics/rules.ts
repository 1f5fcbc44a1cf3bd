/**
 * Observations in, verdicts out: the port-power decision tree (reference/research/usb.md §4.2, written anew),
 * over-current first, because replugging into a port that tripped can keep it off. Pure and deterministic.
 */
import { VIRTUAL_DEVICE_ID } from '../ipc/device'
import type { DongleObservation, HubObservation, LogEvidence, Observations } from './observations'
import { busPoweredHub, portBudgetMa } from './power'
import { SEVERITY_ORDER, verdict, type Verdict } from './verdicts'

/** Reconnects counted as flapping: this many detaches of one dongle within the window. */
export const FLAP_THRESHOLD = 3
export const FLAP_WINDOW_MS = 60_000

const ENUMERATION_KINDS = new Set([
  'descriptor-read-error',
  'address-error',
  'cannot-enable',
  'emi-disabled',
  'connect-debounce'
])

/** The name the kernel gives a hub's interface in its messages: 'usb1' -> '1-0:1.0', '1-1' -> '1-1:1.0'. */
export function hubInterfaceName(hub: HubObservation): string {
  return hub.root ? `${hub.id.replace(/^usb/, '')}-0:1.0` : `${hub.id}:1.0`
}

function logsFor(d: DongleObservation, logs: readonly LogEvidence[]): LogEvidence[] {
  const parent = d.chain.at(-1)
  return logs.filter(
    (l) =>
      l.target !== null &&
      (l.target === d.id ||
        l.target === d.port?.name ||
        (parent !== undefined && l.target === hubInterfaceName(parent)))
  )
}

/** The largest number of detaches of one device inside any window of FLAP_WINDOW_MS. */
export function maxDetachesInWindow(times: readonly number[], windowMs = FLAP_WINDOW_MS): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) > windowMs) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

function diagnoseDongle(d: DongleObservation, obs: Observations): Verdict[] {
  const out: Verdict[] = []
  const mine = logsFor(d, obs.logs)
  const parent = d.chain.at(-1)
  const budget = portBudgetMa(parent)
  const need = Math.max(d.declaredMa ?? 0, d.needMa ?? 0)
  const fact = (k: string, v: unknown): string => `${d.id} ${k}: ${String(v)}`

  const oc = mine.filter((l) => l.kind === 'over-current')
  const hub = d.port?.hubStatus
  const hubOc = hub !== null && hub !== undefined && (hub.overCurrent || hub.overCurrentChanged)
  if ((d.port?.overCurrentCount ?? 0) > 0 || oc.length > 0 || hubOc) {
    out.push(
      verdict('OVERCURRENT', d.id, [
        ...(d.port?.overCurrentCount
          ? [`${d.port.name} over_current_count: ${d.port.overCurrentCount}`]
          : []),
        ...(hubOc
          ? [
              `${d.port?.name} hub GET_STATUS: ${hub.overCurrent ? 'over-current now' : 'over-current since last cleared'}`
            ]
          : []),
        ...oc.map((l) => l.line)
      ])
    )
  }
  const rejected = mine.filter((l) => l.kind === 'insufficient-power' || l.kind === 'over-budget')
  if (d.configured === false || rejected.length > 0) {
    out.push(
      verdict('REJECTED_CONFIG', d.id, [
        ...(d.configured === false ? [fact('bConfigurationValue', '(none)')] : []),
        ...rejected.map((l) => l.line)
      ])
    )
  }
  const busHub = busPoweredHub(d.chain)
  if (d.selfPowered !== true && budget !== null && (need > budget || (busHub && need > 100))) {
    out.push(
      verdict('POWER_BUDGET', d.id, [
        fact(
          'needs',
          `${need} mA${d.needMa ? ` (model needs ${d.needMa} mA, declares ${d.declaredMa ?? '?'} mA)` : ''}`
        ),
        `port gives: ${budget} mA`,
        ...(busHub ? [`hub ${busHub.id}: bus-powered (no power adapter)`] : [])
      ])
    )
  }
  // Switching the virtual dongle off is not a disconnection: only physical ports can flap.
  const detaches = obs.events
    .filter((e) => e.deviceId === d.id && e.deviceId !== VIRTUAL_DEVICE_ID && e.kind === 'detach')
    .map((e) => Date.parse(e.time))
  const logDisconnects = mine
    .filter((l) => l.kind === 'disconnect' && l.time)
    .map((l) => Date.parse(l.time as string))
  const flaps = Math.max(maxDetachesInWindow(detaches), maxDetachesInWindow(logDisconnects))
  if (flaps >= FLAP_THRESHOLD) {
    out.push(
      verdict('FLAPPING', d.id, [
        `${flaps} disconnects within ${FLAP_WINDOW_MS / 1000} s`,
        ...obs.events
          .filter((e) => e.deviceId === d.id)
          .slice(-10)
          .map((e) => `${e.time} ${e.kind}`)
      ])
    )
  }
  const hubFail = obs.logs.filter(
    (l) => l.kind === 'hub-status-failed' && d.chain.some((h) => l.target === hubInterfaceName(h))
  )
  if (hubFail.length > 0)
    out.push(
      verdict(
        'HUB_FAILING',
        d.id,
        hubFail.map((l) => l.line)
      )
    )
  // A device the hub keeps resetting is browning out or losing contact: three resets make it evidence.
  const resets = mine.filter((l) => l.kind === 'reset')
  const enumeration = [
    ...mine.filter((l) => ENUMERATION_KINDS.has(l.kind)),
    ...(resets.length >= 3 ? resets : [])
  ]
  if (enumeration.length > 0)
    out.push(
      verdict(
        'ENUMERATION',
        d.id,
        enumeration.map((l) => l.line)
      )
    )
  if (d.permission === 'denied') out.push(verdict('PERMISSION', d.id, [fact('permission', 'denied')]))
  if (d.problemCode)
    out.push(
      verdict('DRIVER_PROBLEM', d.id, [
        fact('problem code', `${d.problemCode}${d.problemText ? ` (${d.problemText})` : ''}`)
      ])
    )
  const slow = mine.filter((l) => l.kind === 'not-top-speed')
  if (slow.length > 0 || d.speedMbps === 1.5) {
    out.push(
      verdict('WRONG_SPEED', d.id, [
        ...(d.speedMbps !== null ? [fact('speed', `${d.speedMbps} Mbit/s`)] : []),
        ...slow.map((l) => l.line)
      ])
    )
  }
  if (d.power.control === 'auto' || (obs.platform === 'win32' && obs.selectiveSuspend === true)) {
    out.push(
      verdict('AUTOSUSPEND', d.id, [
        ...(d.power.control ? [fact('power/control', d.power.control)] : []),
        ...(d.power.autosuspendDelayMs !== null
          ? [fact('power/autosuspend_delay_ms', d.power.autosuspendDelayMs)]
          : []),
        ...(obs.selectiveSuspend ? ['power plan: USB selective suspend enabled'] : [])
      ])
    )
  }
  if (!out.some((v) => v.code === 'POWER_BUDGET' || v.code === 'REJECTED_CONFIG')) {
    const powerFacts = [
      fact('bMaxPower', d.declaredMa === null ? 'unknown' : `${d.declaredMa} mA`),
      fact('self-powered', d.selfPowered === null ? 'unknown' : d.selfPowered ? 'yes' : 'no'),
      ...(budget !== null
        ? [
            `port gives: ${budget} mA (${parent?.root ? 'root hub' : parent?.selfPowered ? 'self-powered hub' : 'hub'} ${parent?.id})`
          ]
        : [])
    ]
    if (d.selfPowered === true) out.push(verdict('SELF_POWERED', d.id, powerFacts))
    else if (d.needMa !== null && d.declaredMa !== null && d.declaredMa < d.needMa)
      out.push(verdict('DECLARED_BELOW_NEED', d.id, [...powerFacts, fact('model needs', `${d.needMa} mA`)]))
    else if (budget !== null && need >= budget) out.push(verdict('POWER_AT_LIMIT', d.id, powerFacts))
    else out.push(verdict('POWER_OK', d.id, powerFacts))
  }
  return out
}

export function diagnose(obs: Observations): Verdict[] {
  if (!obs.inspected) return [verdict('NOT_INSPECTED', null, obs.error ? [obs.error] : [])]
  const verdicts = obs.dongles.flatMap((d) => diagnoseDongle(d, obs))
  if (obs.dongles.length === 0) {
    const failures = obs.logs.filter((l) =>
      [
        'enumeration-failed',
        'over-current',
        'insufficient-power',
        'descriptor-read-error',
        'address-error',
        'cannot-enable'
      ].includes(l.kind)
    )
    verdicts.push(
      failures.length > 0
        ? verdict(
            'MISSING_WITH_FAILURES',
            null,
            failures.map((l) => l.line)
          )
        : verdict('NOT_FOUND', null, [])
    )
  }
  return verdicts.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
}
