/**
 * The 911 address test (933, issue 22): an independent SIP peer (UDP, loopback) where Kamailio sends 933. It takes
 * the INVITE as a PSAP would (scripts/lib/emergency-invite.ts: the multipart body, the PIDF-LO found by the
 * Geolocation cid:), renders the civic address on record to speech (./speech.ts, espeak-ng), answers, plays the
 * sentence as G.711 RTP to the SDP it was offered (the media relay's, for a call from the app), and hangs up when
 * it has been said. A call without a callback number (P-Asserted-Identity) is refused, like the simulated PSAP.
 * Kamailio is its only client: it trusts whatever arrives (the dev stack and tests, on 127.0.0.1 only).
 * It answers OPTIONS, so a health probe sees it up. A minimal UAS: one INVITE transaction per call, its 200
 * retransmitted until the ACK, BYE either way, CANCEL before the answer.
 */
import { randomBytes } from 'node:crypto'
import { type RemoteInfo, type Socket, createSocket } from 'node:dgram'
import { parseEmergencyInvite } from './emergency-invite'
import { type Speech, addressSentence, renderSpeech } from './speech'

export interface AddressTestCall {
  readonly callId: string
  readonly callback: string | null
  readonly located: boolean
  readonly speech: Speech
  /** RTP packets sent so far. */
  sent: number
  /** 'said': it hung up after the sentence; 'caller': the caller hung up first; 'cancelled' before the answer. */
  ended: 'said' | 'caller' | 'cancelled' | null
}

export interface AddressTestService {
  readonly port: number
  readonly calls: readonly AddressTestCall[]
  close(): Promise<void>
}

interface Leg {
  call: AddressTestCall
  invite: string
  from: RemoteInfo
  headers: Map<string, string[]>
  toTag: string
  rtp: Socket | null
  timer: NodeJS.Timeout | null
  answered: boolean
  acked: boolean
}

const CRLF = '\r\n'

function parse(msg: string): { first: string; headers: Map<string, string[]>; body: string } {
  const at = msg.indexOf('\r\n\r\n')
  const head = (at < 0 ? msg : msg.slice(0, at)).split(CRLF)
  const headers = new Map<string, string[]>()
  for (const line of head.slice(1)) {
    const i = line.indexOf(':')
    if (i < 0) continue
    const name = line.slice(0, i).trim().toLowerCase()
    headers.set(name, [...(headers.get(name) ?? []), line.slice(i + 1).trim()])
  }
  return { first: head[0] ?? '', headers, body: at < 0 ? '' : msg.slice(at + 4) }
}

const one = (h: Map<string, string[]>, name: string): string => h.get(name)?.[0] ?? ''

/** The offered audio: where to send and which G.711 payload type (PCMU preferred). */
function offeredAudio(sdp: string): { host: string; port: number; pt: 0 | 8 } | null {
  const host = /^c=IN IP4 ([0-9.]+)/m.exec(sdp)?.[1]
  const m = /^m=audio (\d+) RTP\/AVP ([0-9 ]+)/m.exec(sdp)
  if (!host || !m) return null
  const pts = (m[2] ?? '').trim().split(/\s+/)
  const pt = pts.includes('0') ? 0 : pts.includes('8') ? 8 : null
  return pt === null ? null : { host, port: Number(m[1]), pt }
}

export async function startAddressTestService(opts: {
  port: number
  host?: string
  /** Hang up at the latest after this long even if the sentence is longer (default 30 s). */
  maxCallMs?: number
  log?: (line: string) => void
}): Promise<AddressTestService> {
  const host = opts.host ?? '127.0.0.1'
  const log = opts.log ?? (() => undefined)
  const sip = createSocket('udp4')
  const legs = new Map<string, Leg>()
  const calls: AddressTestCall[] = []

  const send = (text: string, to: { address: string; port: number }) =>
    sip.send(Buffer.from(text), to.port, to.address)

  /** A response to the request `req` (its Via, From, To, Call-ID and CSeq; Record-Route on a dialog's replies). */
  function reply(
    req: { headers: Map<string, string[]> },
    to: RemoteInfo,
    status: string,
    extra: string[] = [],
    body = '',
    toTag?: string
  ) {
    const h = req.headers
    const lines = [
      `SIP/2.0 ${status}`,
      ...(h.get('via') ?? []).map((v) => `Via: ${v}`),
      `From: ${one(h, 'from')}`,
      `To: ${one(h, 'to')}${toTag && !/;tag=/.test(one(h, 'to')) ? `;tag=${toTag}` : ''}`,
      `Call-ID: ${one(h, 'call-id')}`,
      `CSeq: ${one(h, 'cseq')}`,
      ...extra,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body
    ]
    send(lines.join(CRLF), to)
  }

  function stopMedia(leg: Leg) {
    if (leg.timer) clearInterval(leg.timer)
    leg.timer = null
    leg.rtp?.close()
    leg.rtp = null
  }

  /** The caller's dialog from our side: BYE to its Contact through the Record-Route set. */
  function hangUp(leg: Leg) {
    const h = leg.headers
    const routes = (h.get('record-route') ?? []).flatMap((r) => r.split(/,(?=\s*<)/)).map((r) => r.trim())
    const contact = /<([^>]+)>/.exec(one(h, 'contact'))?.[1] ?? ''
    const next = /sip:(?:[^@;>]+@)?([0-9.]+):?(\d+)?/.exec(routes[0] ?? contact)
    const lines = [
      `BYE ${contact} SIP/2.0`,
      `Via: SIP/2.0/UDP ${host}:${opts.port};rport;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      ...routes.map((r) => `Route: ${r}`),
      `From: ${one(h, 'to')};tag=${leg.toTag}`,
      `To: ${one(h, 'from')}`,
      `Call-ID: ${leg.call.callId}`,
      'CSeq: 1 BYE',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      ''
    ]
    if (next) send(lines.join(CRLF), { address: next[1] ?? host, port: Number(next[2] ?? 5060) })
  }

  /** Plays the sentence (after 300 ms of silence), then hangs up. */
  function play(leg: Leg, to: { host: string; port: number; pt: 0 | 8 }) {
    const rtp = leg.rtp
    if (!rtp) return
    const g711 = leg.call.speech.g711
    const silence = to.pt === 0 ? 0xff : 0xd5
    const lead = Buffer.alloc(2400, silence)
    const audio = Buffer.concat([lead, g711, Buffer.alloc(1600, silence)])
    const ssrc = randomBytes(4).readUInt32BE(0)
    let seq = randomBytes(2).readUInt16BE(0)
    let ts = randomBytes(4).readUInt32BE(0)
    const started = Date.now()
    let sent = 0
    {
      // Paced by the clock, not by the timer's count: a late tick sends what is due, so the audio keeps its speed.
      leg.timer = setInterval(() => {
        const due = Math.min(Math.floor((Date.now() - started) / 20) + 1, Math.ceil(audio.length / 160))
        for (; sent < due; sent++) {
          const header = Buffer.alloc(12)
          header[0] = 0x80
          header[1] = (sent === 0 ? 0x80 : 0) | to.pt
          header.writeUInt16BE(seq, 2)
          header.writeUInt32BE(ts >>> 0, 4)
          header.writeUInt32BE(ssrc, 8)
          const payload = Buffer.alloc(160, silence)
          audio.copy(payload, 0, sent * 160, sent * 160 + 160)
          rtp.send(Buffer.concat([header, payload]), to.port, to.host)
          seq = (seq + 1) & 0xffff
          ts = (ts + 160) >>> 0
          leg.call.sent++
        }
        const over = sent * 160 >= audio.length || Date.now() - started > (opts.maxCallMs ?? 30_000)
        if (over && leg.call.ended === null) {
          leg.call.ended = 'said'
          stopMedia(leg)
          hangUp(leg)
          log(`933 call ${leg.call.callId}: address said (${leg.call.sent} packets), hung up`)
        }
      }, 20)
    }
  }

  function onInvite(msg: ReturnType<typeof parse>, raw: string, from: RemoteInfo) {
    const callId = one(msg.headers, 'call-id')
    const known = legs.get(callId)
    if (known) {
      // A retransmission (or a re-INVITE, which this service does not do): the last answer again.
      if (known.answered) reply(msg, from, '200 OK', [], '', known.toTag)
      return
    }
    reply(msg, from, '100 Trying')
    const inv = parseEmergencyInvite(raw)
    if (!inv.callback) {
      log(`933 call ${callId} refused: no callback number`)
      reply(msg, from, '403 No callback number', [], '', 'atest')
      return
    }
    const audio = inv.sdp ? offeredAudio(inv.sdp) : null
    if (!audio) {
      reply(msg, from, '488 Not Acceptable Here', [], '', 'atest')
      return
    }
    const speech = renderSpeech(
      addressSentence(inv.location?.civic ?? null),
      audio.pt === 0 ? 'PCMU' : 'PCMA'
    )
    const call: AddressTestCall = {
      callId,
      callback: inv.callback,
      located: inv.location !== null,
      speech,
      sent: 0,
      ended: null
    }
    calls.push(call)
    const leg: Leg = {
      call,
      invite: raw,
      from,
      headers: msg.headers,
      toTag: randomBytes(6).toString('hex'),
      rtp: null,
      timer: null,
      answered: false,
      acked: false
    }
    legs.set(callId, leg)
    log(`933 call ${callId} from ${inv.callback}: "${speech.text}"`)
    // Our media socket, bound now so the SDP names its real port; the audio goes out from it (symmetric RTP).
    const media = createSocket('udp4')
    leg.rtp = media
    media.on('message', () => undefined)
    media.bind(0, host, () => {
      const mediaPort = media.address().port
      const codec = audio.pt === 0 ? 'PCMU' : 'PCMA'
      const sdp = [
        'v=0',
        `o=addresstest 1 1 IN IP4 ${host}`,
        's=-',
        `c=IN IP4 ${host}`,
        't=0 0',
        `m=audio ${mediaPort} RTP/AVP ${audio.pt}`,
        `a=rtpmap:${audio.pt} ${codec}/8000`,
        'a=sendrecv',
        ''
      ].join(CRLF)
      const answer = () =>
        reply(
          msg,
          from,
          '200 OK',
          [
            ...(msg.headers.get('record-route') ?? []).map((r) => `Record-Route: ${r}`),
            `Contact: <sip:addresstest@${host}:${opts.port};transport=udp>`,
            'Content-Type: application/sdp'
          ],
          sdp,
          leg.toTag
        )
      leg.answered = true
      answer()
      // The 200 again every 500 ms until the ACK (RFC 3261 13.3.1.4), at most 6 times.
      let tries = 0
      const again = setInterval(() => {
        if (leg.acked || leg.call.ended !== null || ++tries > 6) return void clearInterval(again)
        answer()
      }, 500)
    })
  }

  sip.on('message', (buf, from) => {
    const raw = buf.toString('utf8')
    const msg = parse(raw)
    if (msg.first.startsWith('SIP/2.0')) return // answers to our BYE
    const method = msg.first.split(' ')[0]
    const leg = legs.get(one(msg.headers, 'call-id'))
    try {
      if (method === 'OPTIONS') reply(msg, from, '200 OK', [], '', 'probe')
      else if (method === 'INVITE') onInvite(msg, raw, from)
      else if (method === 'ACK') {
        if (leg && !leg.acked && leg.answered) {
          leg.acked = true
          const audio = offeredAudio(parseEmergencyInvite(leg.invite).sdp ?? '')
          if (audio) play(leg, audio)
        }
      } else if (method === 'BYE') {
        reply(msg, from, '200 OK')
        if (leg && leg.call.ended === null) {
          leg.call.ended = 'caller'
          stopMedia(leg)
          log(`933 call ${leg.call.callId}: the caller hung up`)
        }
      } else if (method === 'CANCEL') {
        reply(msg, from, '200 OK')
        if (leg && !leg.acked && leg.call.ended === null) {
          leg.call.ended = 'cancelled'
          // The INVITE's own final answer: 487 (it had been answered only if a 200 crossed the CANCEL).
          const inv = parse(leg.invite)
          reply(inv, leg.from, '487 Request Terminated', [], '', leg.toTag)
        }
      } else reply(msg, from, '405 Method Not Allowed', ['Allow: INVITE, ACK, BYE, CANCEL, OPTIONS'])
    } catch (err) {
      log(`933: ${method} failed: ${(err as Error).message}`)
      if (method === 'INVITE') reply(msg, from, '500 Server Internal Error', [], '', 'atest')
    }
  })

  await new Promise<void>((resolve, reject) => {
    sip.once('error', reject)
    sip.bind(opts.port, host, () => resolve())
  })
  return {
    port: opts.port,
    calls,
    async close() {
      for (const leg of legs.values()) stopMedia(leg)
      await new Promise<void>((r) => sip.close(() => r()))
    }
  }
}

/** `node scripts/address-test.mjs <port>`: the dev stack's 933 service, logging each call to stdout. */
export async function runAddressTestService(argv: readonly string[]): Promise<void> {
  const port = Number(argv[0])
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write('Usage: node scripts/address-test.mjs <udp port on 127.0.0.1>\n')
    process.exit(2)
  }
  const service = await startAddressTestService({
    port,
    log: (line) => void process.stdout.write(`${new Date().toISOString()} ${line}\n`)
  })
  process.stdout.write(`911 address test (933) on udp 127.0.0.1:${port}\n`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void service.close().then(() => process.exit(0)))
}
