/**
 * sipp peers for the call forwarding tests (issue 23): a line's phone as a UAS that answers, answers busy or only
 * rings, every SIP message it saw kept (-trace_msg) for the headers the tests check (Diversion, From,
 * P-Asserted-Identity, the Request-URI); and a calling line's scenario with extra headers (Privacy, Diversion).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './postgres'
import { ack, authenticatedInvite, provisional, reply, send, sippRegisterAt } from './sipp'
import { SIPP_CONTROL_ON_LOOPBACK } from '../../scripts/lib/carrier-scenarios'

/** answerLate: rings 7 s (more than one 6 s ring cycle) before answering. */
export type LineBehaviour = 'answer' | 'answerLate' | 'busy' | 'ring'

export interface TracedPeer {
  /** Every SIP message it sent and received. */
  messages(): string
  /** The first INVITE it received, whole (headers and body), or ''. */
  invite(): string
  /** Every INVITE it received (retransmissions included), in order. */
  invites(): string[]
  readonly exited: Promise<number | null>
  stop(): Promise<void>
}

const response = (status: string, body = 'Content-Length: 0') => `SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]fwd[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
${body}`

const SDP = `Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0`

const plainOk = `SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0`

function lineScenario(b: LineBehaviour): string {
  const steps = ['  <recv request="INVITE" rrs="true"/>']
  if (b === 'busy') steps.push(send(response('486 Busy Here'), false), '  <recv request="ACK"/>')
  else if (b === 'ring')
    // Rings until the server gives up (its no-answer timer): CANCEL, 487.
    steps.push(
      send(response('180 Ringing'), false),
      '  <recv request="CANCEL"/>',
      send(plainOk, false),
      // The INVITE's final answer: the CANCEL's Via, From, To and Call-ID are the INVITE's; its CSeq method is not.
      send(
        response('487 Request Terminated').replace('[last_CSeq:]', 'CSeq: [last_cseq_number] INVITE'),
        false
      ),
      '  <recv request="ACK"/>'
    )
  else
    steps.push(
      send(response('180 Ringing'), false),
      ...(b === 'answerLate' ? ['  <pause milliseconds="7000"/>'] : []),
      send(response('200 OK', SDP)),
      '  <recv request="ACK"/>',
      '  <recv request="BYE"/>',
      send(plainOk, false)
    )
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="line (${b})">\n${steps.join('\n')}\n</scenario>\n`
}

/** The INVITEs in a sipp message trace (each message ends at a line of dashes). */
const invites = (trace: string): string[] =>
  trace
    .split(/\n-{5,}.*\n/)
    .map((m) => /^(INVITE sip:[\s\S]*)$/m.exec(m)?.[1]?.trim() ?? '')
    .filter((m) => m !== '')

/** A line's phone (or the voicemail server) on 127.0.0.1:port, for `calls` calls within `timeoutS` in all. */
export function linePeer(
  port: number,
  mediaPort: number,
  b: LineBehaviour,
  calls = 1,
  timeoutS = 40
): TracedPeer {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-fwd-peer-'))
  writeFileSync(join(dir, 'scenario.xml'), lineScenario(b))
  const messages = join(dir, 'messages.log')
  const child: ChildProcess = spawn(
    'sipp',
    [
      ...['-sf', join(dir, 'scenario.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', String(calls)],
      ...SIPP_CONTROL_ON_LOOPBACK,
      ...['-mp', String(mediaPort), '-timeout', `${timeoutS}s`, '-timeout_error', '-nostdin'],
      ...['-trace_msg', '-message_file', messages]
    ],
    { stdio: 'ignore', cwd: dir }
  )
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const read = () => (existsSync(messages) ? readFileSync(messages, 'utf8') : '')
  return {
    messages: read,
    invite: () => invites(read())[0] ?? '',
    invites: () => invites(read()),
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    }
  }
}

/**
 * A calling line (authenticated INVITE to [service]) with extra headers; expects it answered (then BYE) or a
 * final status.
 */
export function callerScenario(opts: { headers?: readonly string[]; expect: 'answered' | number }): string {
  const extra = (opts.headers ?? []).join('\n')
  const withHeaders = (s: string) => (extra ? s.replace('Max-Forwards: 70', `Max-Forwards: 70\n${extra}`) : s)
  const steps = [...authenticatedInvite(withHeaders), ...provisional(2)]
  if (opts.expect === 'answered')
    steps.push(
      reply(2, 200, 'rrs="true"'),
      ack(2, true),
      '  <pause milliseconds="300"/>',
      send(`BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "SIPP CALLER" <sip:[field0]@dialtone.test>;tag=[call_number]
To: <sip:[service]@dialtone.test>[peer_tag_param]
Call-ID: [call_id]
CSeq: 3 BYE
Contact: <sip:[field0]@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0`),
      '  <recv response="200"/>'
    )
  else steps.push(reply(2, opts.expect), ack(2, false))
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="forwarding caller (${opts.expect})">\n${steps.join('\n')}\n</scenario>\n`
}

/**
 * A line registered at a fresh port with its phone there ('none': nothing listens, as a computer asleep). sipp
 * exits 254 when it cannot bind a port another peer's media took meanwhile: then another port is tried.
 */
export async function registeredPhone(
  kamailioPort: number,
  creds: { username: string; password: string },
  b: LineBehaviour | 'none'
): Promise<TracedPeer | null> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const code = await sippRegisterAt(kamailioPort, creds, port)
    if (code === 254 && attempt < 3) continue
    if (code !== 0) throw new Error(`sipp could not register ${creds.username} (exit ${code})`)
    if (b === 'none') return null
    const p = linePeer(port, await freePort(), b)
    await new Promise((r) => setTimeout(r, 200))
    return p
  }
}
