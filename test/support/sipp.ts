/**
 * sipp, the independent SIP peer, as the tests and benchmarks use it over UDP through Kamailio: scenarios built
 * from one template (an authenticated INVITE answered 404, or answered 200 then ended by BYE; an authenticated
 * REGISTER), the line's credentials as an injection file, and one argument list.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SIPP_CONTROL_ON_LOOPBACK } from '../../scripts/lib/carrier-scenarios'

/** Request head; INVITEs outside a dialog carry no To tag, everything after a response does. */
const HEAD = (method: string, uri: string, cseq: number, extra = '') => `${method} ${uri} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]${extra}
From: "SIPP CALLER" <sip:[field0]@dialtone.test>;tag=[call_number]
To: <sip:[service]@dialtone.test>${method === 'INVITE' ? '' : '[peer_tag_param]'}
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:[field0]@[local_ip]:[local_port]>
Max-Forwards: 70`

const SDP = `Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0`

export const send = (
  body: string,
  retrans = true,
  attrs = ''
) => `  <send${retrans ? ' retrans="500"' : ''}${attrs}><![CDATA[
${body}
]]></send>`

/**
 * Each INVITE is a named sipp transaction (start_txn), its replies are received as that transaction's (response_txn)
 * and its ACK names it (ack_txn; the ACK's branch is unchanged). Why: Kamailio's UDP workers may forward a 180 and
 * the 200 that follows it at once in either order, and a 180 after the 200 aborted the call as unexpected (CI,
 * 2026-12-05, a forwarded call); sipp ignores a transaction's provisional reply that comes after its final one.
 * The carriers' calling scenario (scripts/lib/carrier-scenarios.ts) keeps plain receives: it calls a PSAP or a line
 * that answers 180 and 200 itself, in order.
 */
const txn = (cseq: number) => `invite${cseq}`

export const invite = (cseq: number, auth: boolean) =>
  send(
    `${HEAD('INVITE', 'sip:[service]@dialtone.test', cseq)}${auth ? '\n[field1]' : ''}\n${SDP}`,
    true,
    ` start_txn="${txn(cseq)}"`
  )
export const ack = (cseq: number, inDialog: boolean) =>
  send(
    `${HEAD('ACK', inDialog ? '[next_url]' : 'sip:[service]@dialtone.test', cseq, inDialog ? '\n[routes]' : '')}\nContent-Length: 0`,
    false,
    ` ack_txn="${txn(cseq)}"`
  )

/** The opening tag of a reply to the INVITE with CSeq `cseq` (more attributes in `attrs`), without its end. */
export const replyTag = (cseq: number, code: number, attrs = '') =>
  `  <recv response="${code}" response_txn="${txn(cseq)}"${attrs ? ` ${attrs}` : ''}`
/** A reply to the INVITE with CSeq `cseq`. */
export const reply = (cseq: number, code: number, attrs = '') => `${replyTag(cseq, code, attrs)}/>`
/** The provisional replies an INVITE may get before its final one, each optional. */
export const provisional = (cseq: number) => [100, 180, 183].map((c) => reply(cseq, c, 'optional="true"'))

/**
 * The steps every authenticated call starts with: the INVITE, its 407, the ACK, the INVITE again with the
 * credentials (CSeq 2). `edit` changes both INVITEs (extra headers).
 */
export const authenticatedInvite = (edit = (s: string) => s): string[] => [
  edit(invite(1, false)),
  reply(1, 407, 'auth="true"'),
  ack(1, false),
  edit(invite(2, true))
]

/** An authenticated INVITE to [service]: 'unknown' expects 404; 'answered' waits for 200, then BYE. */
export function callScenario(kind: 'unknown' | 'answered'): string {
  const steps = [...authenticatedInvite(), ...provisional(2)]
  if (kind === 'unknown') steps.push(reply(2, 404), ack(2, false))
  else
    steps.push(
      reply(2, 200, 'rrs="true"'),
      ack(2, true),
      '  <pause milliseconds="300"/>',
      send(`${HEAD('BYE', '[next_url]', 3, '\n[routes]')}\nContent-Length: 0`),
      '  <recv response="200"/>'
    )
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="authenticated call (${kind})">\n${steps.join('\n')}\n</scenario>\n`
}

/** An authenticated REGISTER of [field0]. */
export const REGISTER_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="authenticated REGISTER">
${send(`REGISTER sip:dialtone.test SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[field0]@dialtone.test>;tag=[call_number]
To: <sip:[field0]@dialtone.test>
Call-ID: [call_id]
CSeq: 1 REGISTER
Contact: <sip:[field0]@[local_ip]:[local_port]>
Expires: 300
Max-Forwards: 70
Content-Length: 0`)}
  <recv response="401" auth="true"/>
${send(`REGISTER sip:dialtone.test SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[field0]@dialtone.test>;tag=[call_number]
To: <sip:[field0]@dialtone.test>
Call-ID: [call_id]
CSeq: 2 REGISTER
Contact: <sip:[field0]@[local_ip]:[local_port]>
[field1]
Expires: 300
Max-Forwards: 70
Content-Length: 0`)}
  <recv response="200"/>
</scenario>
`

/**
 * sipp's [authentication] keyword for a line. sipp reads a password that starts with "0x" as hex, so one in 4,096
 * of the service's random passwords (base64url) would be sent wrong; writing every password as hex avoids that.
 */
export const sippAuth = (creds: { username: string; password: string }): string =>
  `[authentication username=${creds.username} password=0x${Buffer.from(creds.password).toString('hex')}]`

/** Writes the scenario and the line's credentials; answers sipp's arguments for one run. */
export function sippRun(
  kamailioSipPort: number,
  scenario: string,
  creds: { username: string; password: string },
  service = 'service'
): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-sipp-'))
  writeFileSync(join(dir, 'users.csv'), `SEQUENTIAL\n${creds.username};${sippAuth(creds)}\n`)
  writeFileSync(join(dir, 'scenario.xml'), scenario)
  return [
    `127.0.0.1:${kamailioSipPort}`,
    '-sf',
    join(dir, 'scenario.xml'),
    '-inf',
    join(dir, 'users.csv'),
    '-m',
    '1',
    '-i',
    '127.0.0.1',
    '-p',
    '0',
    ...SIPP_CONTROL_ON_LOOPBACK,
    '-timeout',
    '15s',
    '-timeout_error',
    '-s',
    service,
    '-trace_err',
    '-error_file',
    join(dir, 'err.log')
  ]
}

/** One message-summary NOTIFY inside the subscription sipp accepted (RFC 3842 body). */
const notify = (cseq: number, waiting: boolean) =>
  send(`NOTIFY [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: <[$aor]>;tag=vm[call_number]
To: [$subscriber]
Call-ID: [call_id]
CSeq: ${cseq} NOTIFY
Contact: <sip:vm@[local_ip]:[local_port]>
Event: message-summary
Subscription-State: active;expires=3600
Max-Forwards: 70
Content-Type: application/simple-message-summary
Content-Length: [len]

Messages-Waiting: ${waiting ? 'yes' : 'no'}
Voice-Message: ${waiting ? '2/0' : '0/2'} (0/0)`)

/**
 * A voicemail server as Kamailio's VOICEMAIL_URI sees it: accepts one message-summary SUBSCRIBE, notifies
 * "messages waiting", and `clearAfterMs` later "none waiting".
 */
export function voicemailScenario(clearAfterMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="voicemail server (message-summary notifier)">
  <recv request="SUBSCRIBE" rrs="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="subscriber"/>
      <ereg regexp="sip:[^>;]+" search_in="hdr" header="To:" check_it="true" assign_to="aor"/>
    </action>
  </recv>
${send(
  `SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=vm[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:vm@[local_ip]:[local_port]>
Expires: 3600
Content-Length: 0`,
  false
)}
  <pause milliseconds="100"/>
${notify(1, true)}
  <recv response="200"/>
  <pause milliseconds="${clearAfterMs}"/>
${notify(2, false)}
  <recv response="200"/>
</scenario>
`
}

const uasReply = (status: string, body: string) =>
  send(
    `SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]uas[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
${body}`,
    status.startsWith('200')
  )

/**
 * A UAS that answers calls (180, then 200 with audio) and ends them when BYE comes. Unlike sipp's built-in
 * `-sn uas`, it echoes Record-Route, as RFC 3261 §12.1.1 requires: without it the caller's ACK and BYE cannot
 * find their way back through Kamailio.
 */
export const UAS_ANSWER_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="UAS: answer, then wait for BYE">
  <recv request="INVITE" rrs="true"/>
${uasReply('180 Ringing', 'Content-Length: 0')}
${uasReply('200 OK', SDP)}
  <recv request="ACK"/>
  <recv request="BYE"/>
${send(
  `SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0`,
  false
)}
</scenario>
`

export interface SippServer {
  /** sipp's exit code once its calls are done: 0 when every step of every call matched. */
  readonly exited: Promise<number>
  /** Resolves once sipp has bound its port (sippListening). */
  readonly ready: Promise<void>
  kill(): void
}

/** sipp waiting on a loopback port with a scenario (a UAS, a voicemail server) for `calls` calls. */
export function sippServer(scenario: string, port: number, calls = 1, timeoutS = 30): SippServer {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-sipp-server-'))
  writeFileSync(join(dir, 'scenario.xml'), scenario)
  const args = [
    ...['-sf', join(dir, 'scenario.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', String(calls)],
    ...SIPP_CONTROL_ON_LOOPBACK
  ]
  const child = spawn('sipp', [...args, '-timeout', `${timeoutS}s`, '-timeout_error'], { stdio: 'ignore' })
  return {
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code ?? -1))),
    ready: sippListening(child, port),
    kill: () => child.kill()
  }
}

/** Registers a line with sipp so that calls to it reach `port`, where a sippServer listens. */
export async function sippRegisterAt(
  kamailioSipPort: number,
  creds: { username: string; password: string },
  port: number
): Promise<number> {
  const args = sippRun(kamailioSipPort, REGISTER_SCENARIO, creds).map((a, i, all) =>
    all[i - 1] === '-p' ? String(port) : a
  )
  const child = spawn('sipp', args, { stdio: 'ignore' })
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? -1)))
}

/** Whether a UDP socket is bound to 127.0.0.1:`port` (or any address) on this machine's network namespace. */
function udpBound(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .slice(1)
    .some((line) => {
      const local = line.trim().split(/\s+/)[1] ?? ''
      return local === `0100007F:${hex}` || local === `00000000:${hex}`
    })
}

/**
 * Resolves once `child`, a sipp started on `port`, has bound it: a fixed wait before the first message was not
 * enough on a loaded machine (CI: the probe or call met no one, the test failed on a timeout). Rejects when sipp
 * exits first (with `errors()`, its error log) or after 10 s; a caller that never awaits it does not see that as an
 * unhandled rejection (sipp's exit code says it).
 */
export function sippListening(child: ChildProcess, port: number, errors = (): string => ''): Promise<void> {
  const listening = (async () => {
    for (const end = Date.now() + 10_000; Date.now() < end; await sleep(25)) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`sipp on ${port} exited before it listened: ${errors()}`)
      if (udpBound(port)) return
    }
    throw new Error(`sipp did not listen on 127.0.0.1:${port} within 10 s`)
  })()
  listening.catch(() => undefined)
  return listening
}
