/**
 * rtpengine, the media relay between the app's WebRTC leg (ICE, DTLS-SRTP) and a carrier's plain RTP: its
 * command line as the dev stack and the tests run it (userspace with --table=-1, loopback only, its own control
 * port and port range), and a small client for its ng control protocol (bencoded dictionaries over UDP, each
 * message prefixed by a cookie the answer repeats), used to ask which calls it still holds.
 */
import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'

export interface RtpengineOptions {
  /** UDP port of the ng control protocol (Kamailio's rtpengine_sock). */
  readonly ngPort: number
  /** The media port range; each relayed call takes four ports (two per leg). */
  readonly portMin: number
  readonly portMax: number
}

export const RTPENGINE_BIN = '/usr/bin/rtpengine'

export function rtpengineArgs(o: RtpengineOptions): string[] {
  return [
    // Not the system's /etc/rtpengine/rtpengine.conf: it opens fixed CLI and HTTP ports (2224, 2225), so two
    // stacks (or a leftover) would collide, and it records calls to disk.
    '--config-file=none',
    '--foreground',
    '--log-stderr',
    '--table=-1', // userspace forwarding: no kernel module, nothing outside this process
    '--interface=127.0.0.1',
    `--listen-ng=127.0.0.1:${o.ngPort}`,
    `--port-min=${o.portMin}`,
    `--port-max=${o.portMax}`,
    // A call whose signalling never ended (a far end that vanished) is dropped after 60 s without media.
    '--timeout=60',
    '--delete-delay=0', // a deleted call is gone at once, so "nothing left allocated" is checkable
    // 5 (notice) by default; DIALTONE_RTPENGINE_LOG_LEVEL=7 shows every SDP, codec and DTLS step.
    `--log-level=${/^[1-7]$/.test(process.env.DIALTONE_RTPENGINE_LOG_LEVEL ?? '') ? process.env.DIALTONE_RTPENGINE_LOG_LEVEL : '5'}`
  ]
}

type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded }

export function bencode(v: Bencoded): string {
  if (typeof v === 'number') return `i${Math.trunc(v)}e`
  if (typeof v === 'string') return `${Buffer.byteLength(v)}:${v}`
  if (Array.isArray(v)) return `l${v.map(bencode).join('')}e`
  return `d${Object.keys(v)
    .sort()
    .map((k) => bencode(k) + bencode(v[k] as Bencoded))
    .join('')}e`
}

export function bdecode(buf: Buffer): Bencoded {
  let i = 0
  const read = (): Bencoded => {
    const c = String.fromCharCode(buf[i] ?? 0)
    if (c === 'i') {
      const end = buf.indexOf(0x65, i)
      const n = Number(buf.subarray(i + 1, end).toString())
      i = end + 1
      return n
    }
    if (c === 'l' || c === 'd') {
      i++
      const items: Bencoded[] = []
      while (buf[i] !== 0x65) {
        if (i >= buf.length) throw new Error('bencode: unterminated list')
        items.push(read())
      }
      i++
      if (c === 'l') return items
      const dict: Record<string, Bencoded> = {}
      for (let k = 0; k < items.length; k += 2) dict[String(items[k])] = items[k + 1] as Bencoded
      return dict
    }
    const colon = buf.indexOf(0x3a, i)
    const len = Number(buf.subarray(i, colon).toString())
    if (colon < 0 || !Number.isInteger(len)) throw new Error(`bencode: bad string at ${i}`)
    const s = buf.subarray(colon + 1, colon + 1 + len).toString()
    i = colon + 1 + len
    return s
  }
  return read()
}

/** One ng command, answered within ms (rtpengine answers every command, "result" says how it went). */
export function ngCommand(
  port: number,
  command: Record<string, Bencoded>,
  ms = 2000
): Promise<Record<string, Bencoded>> {
  const cookie = randomBytes(6).toString('hex')
  const socket = createSocket('udp4')
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close()
      reject(new Error(`rtpengine did not answer "${String(command.command)}" within ${ms} ms`))
    }, ms)
    socket.on('message', (msg) => {
      const space = msg.indexOf(0x20)
      if (msg.subarray(0, space).toString() !== cookie) return
      clearTimeout(timer)
      socket.close()
      try {
        resolve(bdecode(msg.subarray(space + 1)) as Record<string, Bencoded>)
      } catch (err) {
        reject(err as Error)
      }
    })
    socket.send(`${cookie} ${bencode(command)}`, port, '127.0.0.1')
  })
}

/** The Call-IDs of the calls rtpengine holds now (none once every call ended cleanly). */
export async function rtpengineCalls(ngPort: number): Promise<string[]> {
  const answer = await ngCommand(ngPort, { command: 'list', limit: '1000' })
  if (answer.result !== 'ok') throw new Error(`rtpengine list: ${JSON.stringify(answer)}`)
  return (answer.calls as string[] | undefined) ?? []
}
