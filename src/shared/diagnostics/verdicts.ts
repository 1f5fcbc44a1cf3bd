/**
 * Verdicts: what the rules conclude, with the words a person reads (English here, for the command line and
 * the printable report; the app translates by code). Causes and fixes follow the research catalogue
 * (reference/research/usb.md §4.3) and the Linux hub driver's own messages.
 */
export const VERDICT_CODES = [
  'NOT_INSPECTED',
  'OVERCURRENT',
  'REJECTED_CONFIG',
  'POWER_BUDGET',
  'FLAPPING',
  'HUB_FAILING',
  'ENUMERATION',
  'PERMISSION',
  'DRIVER_PROBLEM',
  'MISSING_WITH_FAILURES',
  'WRONG_SPEED',
  'AUTOSUSPEND',
  'DECLARED_BELOW_NEED',
  'NOT_FOUND',
  'POWER_AT_LIMIT',
  'SELF_POWERED',
  'POWER_OK'
] as const
export type VerdictCode = (typeof VERDICT_CODES)[number]
export type Severity = 'problem' | 'warning' | 'info' | 'ok'

export interface Verdict {
  code: VerdictCode
  severity: Severity
  /** The dongle it is about, or null for the machine as a whole. */
  deviceId: string | null
  title: string
  cause: string
  fix: string
  /** The raw facts behind it: sysfs values, log lines, PnP properties. */
  evidence: string[]
}

export const SEVERITY_ORDER: Record<Severity, number> = { problem: 0, warning: 1, info: 2, ok: 3 }

export const VERDICT_TEXT: Record<
  VerdictCode,
  { severity: Severity; title: string; cause: string; fix: string }
> = {
  NOT_INSPECTED: {
    severity: 'problem',
    title: 'The USB ports could not be inspected',
    cause: 'The operating system did not let Dialtone read its USB information.',
    fix: 'Run the check again; if it keeps failing, run it as an administrator and attach the report to the ticket.'
  },
  OVERCURRENT: {
    severity: 'problem',
    title: 'The port switched itself off: too much current was drawn',
    cause:
      'The port (or the hub it belongs to) detected an over-current and cut power to protect the computer.',
    fix: 'Unplug the dongle and the other devices on that hub, wait five seconds, then plug the dongle alone into a port on the computer itself. If it happens again, the dongle or its cable is faulty. A restart may be needed to re-enable the port.'
  },
  REJECTED_CONFIG: {
    severity: 'problem',
    title: 'The port refused to power the dongle',
    cause: 'The dongle asks for more current than this port may give, so the system left it switched off.',
    fix: 'Plug the dongle into a port on the computer itself, not into a keyboard, monitor or unpowered hub.'
  },
  POWER_BUDGET: {
    severity: 'problem',
    title: 'This port cannot give the dongle enough power',
    cause:
      'The dongle hangs off a hub without its own power supply, whose ports give far less than the dongle needs.',
    fix: 'Plug the dongle into a port on the computer itself, not into the keyboard, monitor or an unpowered hub. If you need a hub, use one with its own power adapter.'
  },
  FLAPPING: {
    severity: 'problem',
    title: 'The dongle keeps dropping out and coming back',
    cause:
      'It disconnected and reconnected several times in a short time: a weak power supply (it resets when it starts drawing current) or a loose contact.',
    fix: 'Move the dongle to a port on the back of the computer (not a front-panel port or hub), and remove any extension cable.'
  },
  HUB_FAILING: {
    severity: 'problem',
    title: 'The hub between the computer and the dongle stopped answering',
    cause: 'The system lost contact with a hub on the dongle’s path: the hub lost power or its cable is bad.',
    fix: 'Plug the dongle into the computer directly, or give the hub its own power adapter.'
  },
  ENUMERATION: {
    severity: 'warning',
    title: 'The port had trouble starting a device',
    cause:
      'The system logged errors while starting a device on this port: bad contact, a worn cable, or too little power at start-up.',
    fix: 'Try another port on the computer itself; replace any extension cable or adapter; check the connector for dirt or damage.'
  },
  PERMISSION: {
    severity: 'problem',
    title: 'Dialtone is not allowed to use the dongle',
    cause: 'The system’s device permissions do not let this user open the dongle.',
    fix: 'Install Dialtone’s device rule (Setup offers to), then unplug and replug the dongle.'
  },
  DRIVER_PROBLEM: {
    severity: 'problem',
    title: 'The system reports a problem with the dongle’s driver',
    cause:
      'Device Manager reports a problem code for the dongle; this is a driver or start-up failure, not the port alone.',
    fix: 'Unplug and replug the dongle into a port on the computer itself. If the problem code stays, remove the device in Device Manager and plug it in again. Dialtone never replaces the system’s driver.'
  },
  MISSING_WITH_FAILURES: {
    severity: 'problem',
    title: 'A device failed to start on a port, and no dongle is working',
    cause:
      'The system tried to start a USB device and gave up, most often because the port could not power it.',
    fix: 'Plug the dongle into a port on the back of the computer, not into a hub, keyboard, monitor or front panel.'
  },
  WRONG_SPEED: {
    severity: 'warning',
    title: 'The dongle runs slower than it should',
    cause:
      'It connected at a lower speed than it supports: an old hub in the path, or a damaged cable or port.',
    fix: 'Plug it into a port on the computer itself, without a hub or extension cable.'
  },
  AUTOSUSPEND: {
    severity: 'warning',
    title: 'Power saving may switch the dongle off when idle',
    cause:
      'USB power saving (autosuspend / selective suspend) is on for the dongle; a suspended dongle can miss incoming calls.',
    fix: 'Turn USB power saving off for the dongle: on Linux set power/control to "on"; on Windows disable "USB selective suspend" in the power plan.'
  },
  DECLARED_BELOW_NEED: {
    severity: 'warning',
    title: 'The dongle asks for less power than it uses',
    cause:
      'It declares a small current need, but this model draws more when it rings; a hub may give it too little.',
    fix: 'Keep the dongle on a port on the computer itself, not on a hub.'
  },
  NOT_FOUND: {
    // A check with no dongle found nothing to be healthy about: the report says so and the CLI exits 1.
    severity: 'warning',
    title: 'No dongle is plugged in',
    cause: 'No phone dongle is connected, and the system shows no failed attempt to start one.',
    fix: 'Plug the dongle into a USB port on the computer itself.'
  },
  POWER_AT_LIMIT: {
    severity: 'info',
    title: 'The port gives the dongle all it needs, with nothing to spare',
    cause:
      'The dongle needs the full current of a USB port. It works on the computer’s own ports, not on unpowered hubs, keyboards or monitors.',
    fix: 'Nothing to do. If you move it, keep it on a port on the computer itself.'
  },
  SELF_POWERED: {
    severity: 'ok',
    title: 'The dongle has its own power supply',
    cause: 'It does not depend on the USB port for power.',
    fix: 'Nothing to do.'
  },
  POWER_OK: {
    severity: 'ok',
    title: 'The port powers the dongle well',
    cause: 'The port can give more than the dongle needs.',
    fix: 'Nothing to do.'
  }
}

export function verdict(code: VerdictCode, deviceId: string | null, evidence: string[]): Verdict {
  const t = VERDICT_TEXT[code]
  return { code, severity: t.severity, deviceId, title: t.title, cause: t.cause, fix: t.fix, evidence }
}

export type Health = 'healthy' | 'problems' | 'not-inspected'

export function overallHealth(verdicts: readonly Verdict[]): Health {
  if (verdicts.some((v) => v.code === 'NOT_INSPECTED')) return 'not-inspected'
  return verdicts.some((v) => v.severity === 'problem' || v.severity === 'warning') ? 'problems' : 'healthy'
}
