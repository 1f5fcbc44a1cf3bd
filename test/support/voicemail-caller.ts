/**
 * A caller of the voicemail server, as the Kamailio -> voicemail contract has it: sipp sends the INVITE (Request-URI
 * user `deposit-<reason>-<box>` or `retrieve-<box>`) straight to the server's SIP port, as Kamailio would after
 * its routes; the media is a small RTP peer in the test (PCMU, 20 ms packets): it plays a known tone, keeps what
 * the server plays back as 8 kHz samples, and presses keys as RFC 4733 events. It sends to wherever the server's
 * RTP comes from (the server starts playing at once when it answers).
 */
import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SIPP_CONTROL_ON_LOOPBACK } from '../../scripts/lib/carrier-scenarios'

function linearToUlaw(sample: number): number {
  const BIAS = 0x84
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)))
  const sign = s < 0 ? 0x80 : 0
  if (s < 0) s = -s
  s += BIAS
  let exponent = 7
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--
  const mantissa = (s >> (exponent + 3)) & 0x0f
  return ~(sign | (exponent << 4) | mantissa) & 0xff
}

function ulawToLinear(u: number): number {
  const v = ~u & 0xff
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4)
  return v & 0x80 ? 0x84 - t : t - 0x84
}

const EVENT_CODES = '0123456789*#'

export interface RtpPeer {
  readonly port: number
  /** What to play from now on: a tone's frequency, or null for silence. */
  play(hz: number | null): void
  /** Presses a key (an RFC 4733 event of 160 ms, end packet sent three times). */
  press(key: string): Promise<void>
  /** The samples heard so far (8 kHz, linear), in arrival order. */
  heard(): Int16Array
  close(): Promise<void>
}

export async function startRtpPeer(): Promise<RtpPeer> {
  const socket = createSocket('udp4')
  let remote: { address: string; port: number } | null = null
  const heard: number[] = []
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12 || ((msg[0] ?? 0) & 0xc0) !== 0x80) return
    remote ??= { address: rinfo.address, port: rinfo.port }
    if (((msg[1] ?? 0) & 0x7f) !== 0) return
    for (let i = 12; i < msg.length; i++) heard.push(ulawToLinear(msg[i] ?? 0xff))
  })
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  let hz: number | null = null
  let phase = 0
  let seq = 1
  let ts = 0
  const ssrc = 0x1234abcd
  let eventUntil = 0
  const packet = (pt: number, payload: Buffer, marker = false): Buffer => {
    const h = Buffer.alloc(12)
    h[0] = 0x80
    h[1] = (marker ? 0x80 : 0) | pt
    h.writeUInt16BE(seq++ & 0xffff, 2)
    h.writeUInt32BE(ts >>> 0, 4)
    h.writeUInt32BE(ssrc, 8)
    return Buffer.concat([h, payload])
  }
  const timer = setInterval(() => {
    if (!remote || Date.now() < eventUntil) return
    const p = Buffer.alloc(160)
    for (let i = 0; i < 160; i++) {
      const v = hz === null ? 0 : 12000 * Math.sin(phase)
      if (hz !== null) phase += (2 * Math.PI * hz) / 8000
      p[i] = linearToUlaw(v)
    }
    socket.send(packet(0, p), remote.port, remote.address)
    ts += 160
  }, 20)
  return {
    port: socket.address().port,
    play(f) {
      hz = f
    },
    async press(key) {
      const code = EVENT_CODES.indexOf(key)
      if (code < 0 || !remote) throw new Error(`cannot press ${key} (no media yet?)`)
      const to = remote
      eventUntil = Date.now() + 400
      const start = ts
      for (let d = 160; d <= 1280; d += 160) {
        const payload = Buffer.from([code, 10, (d >> 8) & 0xff, d & 0xff])
        const h = packet(101, payload, d === 160)
        h.writeUInt32BE(start >>> 0, 4)
        socket.send(h, to.port, to.address)
        await new Promise((r) => setTimeout(r, 20))
      }
      for (let i = 0; i < 3; i++) {
        const h = packet(101, Buffer.from([code, 0x80 | 10, (1280 >> 8) & 0xff, 1280 & 0xff]))
        h.writeUInt32BE(start >>> 0, 4)
        socket.send(h, to.port, to.address)
      }
      ts = start + 1280
      await new Promise((r) => setTimeout(r, 300))
    },
    heard: () => Int16Array.from(heard),
    close: () =>
      new Promise<void>((r) => {
        clearInterval(timer)
        socket.close(() => r())
      })
  }
}

/** Energy at hz relative to the whole signal (Goertzel), 0..1: a pure tone at hz is close to 1. */
export function toneShare(samples: ArrayLike<number>, hz: number, rate = 8000): number {
  const n = samples.length
  if (n === 0) return 0
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate)
  let s1 = 0
  let s2 = 0
  let total = 0
  for (let i = 0; i < n; i++) {
    const x = samples[i] ?? 0
    const s0 = x + k * s1 - s2
    s2 = s1
    s1 = s0
    total += x * x
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2
  return total === 0 ? 0 : (2 * power) / (n * total)
}

/** 16-bit PCM samples of a WAV file's data chunk. */
export function wavSamples(wav: Uint8Array): Int16Array {
  const b = Buffer.from(wav)
  let off = 12
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4)
    const size = b.readUInt32LE(off + 4)
    if (id === 'data') {
      const data = b.subarray(off + 8, Math.min(b.length, off + 8 + size))
      return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.length & ~1)))
    }
    off += 8 + size + (size % 2)
  }
  return new Int16Array(0)
}

export interface VoicemailCall {
  /** Resolves when the call ended (either side hung up); with sipp's exit code. */
  readonly ended: Promise<number | null>
  readonly peer: RtpPeer
  /** sipp's SIP trace so far. */
  readonly trace: () => string
}

/**
 * Calls the voicemail server: answered, the peer plays `hz` (or silence), and the call lasts until the server
 * hangs up or holdMs pass (then the caller hangs up).
 */
export async function callVoicemail(opts: {
  vmPort: number
  user: string
  from: string
  fromName?: string
  holdMs: number
  hz?: number | null
}): Promise<VoicemailCall> {
  const peer = await startRtpPeer()
  peer.play(opts.hz ?? null)
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-vmcall-'))
  const name = opts.fromName ? `"${opts.fromName}" ` : ''
  const head = (
    method: string,
    cseq: number,
    toTag: boolean
  ) => `${method} ${method === 'INVITE' ? `sip:${opts.user}@127.0.0.1:${opts.vmPort}` : '[next_url]'} SIP/2.0
Via: SIP/2.0/UDP [local_ip]:[local_port];branch=[branch]
From: ${name}<sip:${opts.from}@dialtone.test>;tag=[call_number]
To: <sip:${opts.user}@dialtone.test>${toTag ? '[peer_tag_param]' : ''}
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70`
  const scenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="voicemail caller">
  <send retrans="500"><![CDATA[
${head('INVITE', 1, false)}
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio ${peer.port} RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
${head('ACK', 1, true)}
Content-Length: 0

]]></send>
  <recv request="BYE" timeout="${opts.holdMs}" ontimeout="hangup"/>
  <send next="done"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <label id="hangup"/>
  <send retrans="500"><![CDATA[
${head('BYE', 2, true)}
Content-Length: 0

]]></send>
  <recv response="200"/>
  <label id="done"/>
</scenario>
`
  writeFileSync(join(dir, 'caller.xml'), scenario)
  const sipp = spawn(
    'sipp',
    [
      ...[
        `127.0.0.1:${opts.vmPort}`,
        '-sf',
        join(dir, 'caller.xml'),
        '-m',
        '1',
        '-i',
        '127.0.0.1',
        '-p',
        '0',
        ...SIPP_CONTROL_ON_LOOPBACK
      ],
      ...['-timeout', `${Math.ceil(opts.holdMs / 1000) + 20}s`, '-timeout_error', '-nostdin'],
      ...['-trace_msg', '-message_file', join(dir, 'messages.log')]
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let out = ''
  sipp.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  sipp.stderr?.on('data', (d: Buffer) => (out += d.toString()))
  const ended = new Promise<number | null>((resolve) => sipp.once('exit', (code) => resolve(code)))
  return {
    ended: ended.then(async (code) => {
      await peer.close()
      return code
    }),
    peer,
    trace: () =>
      out + (existsSync(join(dir, 'messages.log')) ? readFileSync(join(dir, 'messages.log'), 'utf8') : '')
  }
}

/** Whether some 200 ms window of the samples is mostly the tone hz. */
export function hasTone(samples: Int16Array, hz: number, share = 0.8): boolean {
  for (let i = 0; i + 1600 <= samples.length; i += 400)
    if (toneShare(samples.subarray(i, i + 1600), hz) > share) return true
  return false
}

export interface MwiWatcher {
  /** Every NOTIFY body received, in order. */
  readonly bodies: string[]
  /** The SUBSCRIBE's final response status. */
  readonly status: () => number
  close(): Promise<void>
}

/**
 * A line's message-summary subscription as Kamailio relays it (RFC 3842): a UDP socket that SUBSCRIBEs to the
 * box at the voicemail server and answers every NOTIFY with 200.
 */
export async function watchMwi(vmPort: number, box: string, source = '127.0.0.1'): Promise<MwiWatcher> {
  const socket = createSocket('udp4')
  const bodies: string[] = []
  let status = 0
  socket.on('message', (msg, rinfo) => {
    const text = msg.toString()
    const [head = '', body = ''] = text.split('\r\n\r\n')
    if (text.startsWith('SIP/2.0 ')) {
      status = Number(text.slice(8, 11))
      return
    }
    if (!text.startsWith('NOTIFY ')) return
    bodies.push(body)
    const keep = head
      .split('\r\n')
      .filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l))
      .join('\r\n')
    socket.send(`SIP/2.0 200 OK\r\n${keep}\r\nContent-Length: 0\r\n\r\n`, rinfo.port, rinfo.address)
  })
  await new Promise<void>((r) => socket.bind(0, source, r))
  const port = socket.address().port
  const subscribe = [
    `SUBSCRIBE sip:${box}@dialtone.test SIP/2.0`,
    `Via: SIP/2.0/UDP ${source}:${port};branch=z9hG4bKmwi${Date.now()};rport`,
    `From: <sip:${box}@dialtone.test>;tag=w${port}`,
    `To: <sip:${box}@dialtone.test>`,
    `Call-ID: mwi-${port}@test`,
    'CSeq: 1 SUBSCRIBE',
    `Contact: <sip:${box}@${source}:${port}>`,
    'Event: message-summary',
    'Accept: application/simple-message-summary',
    'Expires: 600',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    ''
  ].join('\r\n')
  socket.send(subscribe, vmPort, '127.0.0.1')
  return {
    bodies,
    status: () => status,
    close: () => new Promise<void>((r) => socket.close(() => r()))
  }
}
