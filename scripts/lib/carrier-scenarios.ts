/**
 * The simulated carriers' sipp scenarios and command lines, shared by the dev stack (scripts/lib/stack-carriers.ts)
 * and the tests (test/support/carriers.ts): a carrier's gateway answering OPTIONS probes and calls (with a known
 * tone, with 503, or never), and a carrier calling a Dialtone number. The tones are made by sox at run time (PCM-mu
 * WAV; nothing binary is committed). Every peer listens on 127.0.0.1 only.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const send = (body: string, extra = '') => `  <send${extra}><![CDATA[
${body}
]]></send>`

const reply = (status: string, body = 'Content-Length: 0') => `SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]gw[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:gw@[local_ip]:[local_port]>
${body}`

/** The carrier's answer: G.711 mu-law and RFC 4733 events, like a PSTN gateway offers. */
const sdp = (port: string, te = '[$tept]') => `Content-Type: application/sdp
Content-Length: [len]

v=0
o=carrier 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio ${port} RTP/AVP 0 ${te}
a=rtpmap:0 PCMU/8000
a=rtpmap:${te} telephone-event/8000
a=fmtp:${te} 0-15
a=ptime:20
a=sendrecv`

/** 200 to a request inside the call (the To tag is already in the request). */
const inDialogOk = `SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0`

/** 200 with the carrier's SDP to a re-INVITE inside the call (its To already has the tag). */
const reinviteOk = (port: string) => `SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:gw@[local_ip]:[local_port]>
${sdp(port)}`

/** OPTIONS probes get 200 (dispatcher's health check); each is its own short "call" for sipp. */
const OPTIONS_BRANCH = `  <label id="options"/>
${send(reply('200 OK'))}
  <label id="end"/>`

export type GatewayBehaviour =
  | { readonly answer: 'tone'; readonly toneFile: string }
  | { readonly answer: 'record'; readonly mediaPort: number }
  | { readonly answer: '503' }
  /** Answers probes, so it looks alive, but never answers an INVITE at all. */
  | { readonly answer: 'mute' }

/** A carrier gateway's sipp scenario: answers OPTIONS, and INVITEs as the behaviour says. */
export function gatewayScenario(b: GatewayBehaviour): string {
  const steps: string[] = [
    '  <recv request="OPTIONS" optional="true" next="options"/>',
    // The carrier answers telephone-event with the payload type the offer gave it (RFC 3264 §6.1).
    `  <recv request="INVITE" rrs="true"><action><ereg regexp="a=rtpmap:([0-9]+) telephone-event/8000" search_in="body" check_it="true" assign_to="te,tept"/></action></recv>`,
    send(reply('100 Trying'))
  ]
  if (b.answer === 'mute') {
    steps.pop()
    steps.push('  <pause milliseconds="20000"/>', '  <nop next="end"/>')
  } else if (b.answer === '503') {
    steps.push(send(reply('503 Service Unavailable')), '  <recv request="ACK" next="end"/>')
  } else {
    steps.push(
      send(reply('180 Ringing')),
      send(
        reply('200 OK', sdp(b.answer === 'tone' ? '[rtpstream_audio_port]' : String(b.mediaPort))),
        ' retrans="500"'
      ),
      '  <recv request="ACK"/>',
      ...(b.answer === 'tone'
        ? [`  <nop><action><exec rtp_stream="${b.toneFile},-1,0"/></action></nop>`]
        : []),
      // In the call: SIP INFO (a key sent before RTP events were ready) is taken, then the BYE ends it.
      '  <label id="talking"/>',
      '  <recv request="INFO" optional="true" next="info"/>',
      // A re-INVITE (the other side's hold, or a new offer): the same media again.
      '  <recv request="INVITE" optional="true" next="reinvite"/>',
      '  <recv request="BYE"/>',
      send(reply('200 OK')),
      '  <nop next="end"/>',
      '  <label id="info"/>',
      send(inDialogOk),
      '  <nop next="talking"/>',
      '  <label id="reinvite"/>',
      send(reinviteOk(b.answer === 'tone' ? '[rtpstream_audio_port]' : String(b.mediaPort))),
      '  <recv request="ACK" next="talking"/>'
    )
  }
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="carrier gateway (${b.answer})">\n${steps.join('\n')}\n${OPTIONS_BRANCH}\n  <Reference variables="te,tept"/>\n</scenario>\n`
}

/** A tone as sipp's rtp_stream plays it: 8 kHz PCM-mu WAV, -6 dBFS, made by sox. */
export function makeTone(dir: string, hz: number, seconds = 20): string {
  const file = join(dir, `tone-${hz}.wav`)
  const r = spawnSync('sox', [
    '-n',
    '-r',
    '8000',
    '-c',
    '1',
    '-e',
    'u-law',
    file,
    'synth',
    String(seconds),
    'sine',
    String(hz),
    'vol',
    '0.5'
  ])
  if (r.status !== 0)
    throw new Error(`sox could not make the tone: ${r.stderr?.toString() ?? r.error?.message}`)
  return file
}

export interface InboundCall {
  readonly from: string
  readonly to: string
  /** 'ok': expects the call answered and hangs up after holdMs; a status: expects that final answer. */
  readonly expect: 'ok' | number
  readonly holdMs?: number
  /** Replaces the SDP body with something that is not SDP. */
  readonly malformedSdp?: boolean
  /** A tone the caller plays once answered (sipp rtp_stream). */
  readonly toneFile?: string
  /** Once answered, offers its media again in a re-INVITE (expects 200) before it hangs up. */
  readonly reinvite?: boolean
  /**
   * The person on the line may hang up first (`npm run carrier-call`): a BYE from the line at any time within
   * holdMs is answered 200 and ends the call normally; only if none comes does the carrier hang up.
   */
  readonly lineMayHangUp?: boolean
}

/** sipp's scenario for a carrier calling a Dialtone number through Kamailio. */
export function carrierCallScenario(kamailioPort: number, c: InboundCall): string {
  const body = c.malformedSdp
    ? `Content-Type: application/sdp
Content-Length: [len]

v=0
m=audio banana RTP/AVP
c=IN IP9 nowhere`
    : sdp(c.toneFile ? '[rtpstream_audio_port]' : '[media_port]', '101')
  const head = (
    method: string,
    cseq: number,
    extra = '',
    inDialog = method !== 'INVITE'
  ) => `${method} ${inDialog ? '[next_url]' : `sip:${c.to}@127.0.0.1:${kamailioPort}`} SIP/2.0
Via: SIP/2.0/UDP [local_ip]:[local_port];branch=[branch]${extra}
From: "Carrier Caller" <sip:+${c.from}@carrier.test>;tag=[call_number]
To: <sip:${c.to}@dialtone.test>${inDialog ? '[peer_tag_param]' : ''}
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:+${c.from}@[local_ip]:[local_port]>
Max-Forwards: 70`
  const steps = [
    send(
      `${head('INVITE', 1)}\nP-Asserted-Identity: <sip:+${c.from}@carrier.test;user=phone>\n${body}`,
      ' retrans="500"'
    ),
    '  <recv response="100" optional="true"/>'
  ]
  if (c.expect === 'ok')
    steps.push(
      '  <recv response="180" optional="true"/>',
      '  <recv response="183" optional="true"/>',
      '  <recv response="200" rrs="true"/>',
      send(`${head('ACK', 1, '\n[routes]')}\nContent-Length: 0`),
      ...(c.toneFile ? [`  <nop><action><exec rtp_stream="${c.toneFile},-1,0"/></action></nop>`] : []),
      ...(c.lineMayHangUp
        ? [
            // Waiting for the line's BYE is the hold: when it comes, answer it and end (label "done"); when
            // holdMs passes without one, go on to the carrier's own BYE (label "carrier_hangs_up").
            `  <recv request="BYE" timeout="${c.holdMs ?? 1000}" ontimeout="carrier_hangs_up"/>`,
            send(`SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0`),
            // Says so in the -trace_logs file, for carrier-call's sentence.
            '  <nop next="done"><action><log message="the line hung up"/></action></nop>',
            '  <label id="carrier_hangs_up"/>'
          ]
        : [`  <pause milliseconds="${c.holdMs ?? 1000}"/>`]),
      ...(c.reinvite
        ? [
            send(`${head('INVITE', 2, '\n[routes]', true)}\n${body}`, ' retrans="500"'),
            '  <recv response="100" optional="true"/>',
            '  <recv response="200"/>',
            send(`${head('ACK', 2, '\n[routes]')}\nContent-Length: 0`)
          ]
        : []),
      send(`${head('BYE', c.reinvite ? 3 : 2, '\n[routes]')}\nContent-Length: 0`, ' retrans="500"'),
      '  <recv response="200"/>',
      ...(c.lineMayHangUp ? ['  <label id="done"/>'] : [])
    )
  else
    steps.push(
      '  <recv response="180" optional="true"/>',
      `  <recv response="${c.expect}"/>`,
      send(`ACK sip:${c.to}@127.0.0.1:${kamailioPort} SIP/2.0
Via: SIP/2.0/UDP [local_ip]:[local_port];branch=[branch]
From: "Carrier Caller" <sip:+${c.from}@carrier.test>;tag=[call_number]
To: <sip:${c.to}@dialtone.test>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0`)
    )
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="carrier calls in">\n${steps.join('\n')}\n</scenario>\n`
}

/**
 * sipp's watchdog sized for a peer that answers a few calls, not for a load test. Its defaults (a "minor trip"
 * when its loop runs 100 ms behind its 400 ms tick, a "major" one at 3 s; sipp ends itself after 120 minor or 10
 * major trips within 10 minutes) guard a load generator's call rate. A dev carrier or PSAP shares two cores with
 * the build, the app and Kamailio: every busy moment wrote an "Overload warning" to its error log, and a long
 * enough busy spell would end the peer (and with it the dev stack). For these peers a late loop matters only when
 * SIP sees it: under Kamailio's 2 s dispatcher probe a stall is invisible (minor), past its 5 s transaction timer
 * (tm fr_timer) a call is lost (major). Exported for its test (test/integration/sipp-watchdog.test.ts).
 */
export const PEER_WATCHDOG_ARGS: readonly string[] = [
  ...['-watchdog_minor_threshold', '2000'],
  ...['-watchdog_major_threshold', '5000']
]

/**
 * sipp's control socket (commands such as quit or a new call rate, over UDP) on loopback: by default it listens on
 * every address from port 8888 up, so anyone on the network could stop the dev stack's carriers or PSAP.
 */
export const SIPP_CONTROL_ON_LOOPBACK: readonly string[] = ['-ci', '127.0.0.1']

/**
 * sipp's arguments for a gateway on 127.0.0.1:port, answering until stopped. Its media takes mediaPort and
 * mediaPort + 2 (RTCP): keep 4 ports between two peers' mediaPort.
 */
export const gatewayArgs = (port: number, mediaPort: number): string[] => [
  '-i',
  '127.0.0.1',
  '-p',
  String(port),
  '-mp',
  String(mediaPort),
  ...SIPP_CONTROL_ON_LOOPBACK,
  ...PEER_WATCHDOG_ARGS
]

/** sipp's arguments for one call from 127.0.0.1:port (media on mediaPort and + 2) to Kamailio. */
export const carrierCallArgs = (kamailioPort: number, port: number, mediaPort: number): string[] => [
  `127.0.0.1:${kamailioPort}`,
  '-i',
  '127.0.0.1',
  '-p',
  String(port),
  '-mp',
  String(mediaPort),
  '-m',
  '1',
  ...SIPP_CONTROL_ON_LOOPBACK,
  '-timeout',
  '60s',
  '-timeout_error'
]
