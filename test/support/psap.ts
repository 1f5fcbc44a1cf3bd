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

export interface Psap {
  readonly port: number
  readonly uri: string
  /** sipp's exit code once it took its calls: 0 when every check of every call held. */
  readonly exited: Promise<number>
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
    ...['-sf', scenario, '-i', '127.0.0.1', '-p', String(opts.port)],
    ...(opts.calls > 0 ? ['-m', String(opts.calls)] : ['-nostdin']),
    ...['-trace_msg', '-message_file', messages, '-trace_err', '-error_file', join(dir, 'err.log')],
    ...(opts.calls > 0 || opts.timeoutS ? ['-timeout', `${opts.timeoutS ?? 30}s`, '-timeout_error'] : []),
    ...(opts.echoMediaPort ? ['-mp', String(opts.echoMediaPort), '-rtp_echo'] : [])
  ]
  const child = spawn('sipp', args, { stdio: 'ignore' })
  return {
    port: opts.port,
    uri: `sip:127.0.0.1:${opts.port}`,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code ?? -1))),
    invites: () =>
      existsSync(messages)
        ? receivedMessages(readFileSync(messages, 'utf8')).filter((m) => m.startsWith('INVITE '))
        : [],
    errors: () => (existsSync(join(dir, 'err.log')) ? readFileSync(join(dir, 'err.log'), 'utf8') : ''),
    kill: () => child.kill()
  }
}
