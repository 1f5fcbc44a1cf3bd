/**
 * A simulated PSAP (public safety answering point) for tests: sipp as an independent UAS on a loopback port that
 * refuses to go on (sipp fails the call) unless the emergency INVITE carries a callback number
 * (P-Asserted-Identity) and, for a located call, a cid: Geolocation header, Geolocation-Routing and a PIDF-LO part.
 * sipp logs every message it received; `invites()` hands the INVITEs to the checker (./emergency-invite.ts), which
 * parses the multipart body and the PIDF-LO XML. `hangUp: 'atOnce'` makes it end each call right after the ACK.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { psapScenario } from '../../scripts/lib/psap-scenario'
import { sippListening } from './sipp'
import { SIPP_CONTROL_ON_LOOPBACK } from '../../scripts/lib/carrier-scenarios'

export interface Psap {
  readonly port: number
  readonly uri: string
  /** sipp's exit code once it took its calls: 0 when every check of every call held. */
  readonly exited: Promise<number>
  /**
   * Resolves once sipp's SIP port is bound (it is in /proc/net/udp), so a call placed after it meets a listening PSAP;
   * rejects when sipp exits first or after 10 s. A fixed pause before the call was too short on a loaded machine:
   * the call met no PSAP, failed, and the PSAP left running held the port against the next test's.
   */
  readonly ready: Promise<void>
  /** The INVITEs received so far, as raw SIP messages. */
  invites(): string[]
  /** sipp's error log (a failed check names the header or body it wanted). */
  errors(): string
  kill(): void
}

/**
 * Splits sipp's -trace_msg log into the SIP messages it received. Each entry is a line of dashes with a time,
 * then "UDP message received [N] bytes :", a blank line and the message.
 */
export function receivedMessages(log: string): string[] {
  return log
    .split(/^-{10,}.*$/m)
    .map((part) => /^\s*\w+ message received \[\d+\] bytes :\r?\n\r?\n([\s\S]*)$/.exec(part)?.[1])
    .filter((m): m is string => m !== undefined)
    .map((m) => m.replace(/\s+$/, ''))
}

/**
 * sipp's error log, less its watchdog's overload warnings: those say sipp's own timers ran late on a loaded machine
 * (a test beside it, CI), not that a call broke a check; every check's failure is still there.
 */
function errorsOf(dir: string): string {
  const file = join(dir, 'err.log')
  if (!existsSync(file)) return ''
  const events = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !/Overload warning: the (minor|major) watchdog timer/.test(l))
  return events.every((l) => l.startsWith('The following events occurred')) ? '' : events.join('\n')
}

export function startPsap(opts: {
  port: number
  /** Calls it takes before sipp exits; 0: until killed (an emergency gateway that dispatcher probes). */
  calls: number
  /** A failing PSAP: refuses every call with 503, or never answers an INVITE (scripts/lib/psap-scenario.ts). */
  answer?: 'ok' | '503' | 'mute'
  located: boolean
  hangUp?: 'caller' | 'atOnce'
  timeoutS?: number
  /** RTP on this port is echoed back to its sender (sipp -rtp_echo): the call taker's side of the media path. */
  echoMediaPort?: number
}): Psap {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-psap-'))
  const scenario = join(dir, 'psap.xml')
  const messages = join(dir, 'messages.log')
  writeFileSync(
    scenario,
    psapScenario({ located: opts.located, hangUp: opts.hangUp ?? 'caller', answer: opts.answer ?? 'ok' })
  )
  const args = [
    ...['-sf', scenario, '-i', '127.0.0.1', '-p', String(opts.port), ...SIPP_CONTROL_ON_LOOPBACK],
    ...(opts.calls > 0 ? ['-m', String(opts.calls)] : ['-nostdin']),
    ...['-trace_msg', '-message_file', messages, '-trace_err', '-error_file', join(dir, 'err.log')],
    ...(opts.calls > 0 || opts.timeoutS ? ['-timeout', `${opts.timeoutS ?? 30}s`, '-timeout_error'] : []),
    ...(opts.echoMediaPort ? ['-mp', String(opts.echoMediaPort), '-rtp_echo'] : [])
  ]
  const child = spawn('sipp', args, { stdio: 'ignore' })
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)))
  // A test that does not wait for it (a gateway probed later) sees a failure in `exited` and `errors()`.
  const ready = sippListening(child, opts.port, () => errorsOf(dir))
  return {
    port: opts.port,
    uri: `sip:127.0.0.1:${opts.port}`,
    exited,
    ready,
    invites: () =>
      existsSync(messages)
        ? receivedMessages(readFileSync(messages, 'utf8')).filter((m) => m.startsWith('INVITE '))
        : [],
    errors: () => errorsOf(dir),
    kill: () => child.kill()
  }
}
