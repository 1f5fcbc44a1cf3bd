/**
 * SIP messages as the voicemail front needs them (RFC 3261 text over UDP): parse a datagram into its start line,
 * headers (compact names expanded, comma-joined Via split) and body, and write one back. The front only routes
 * signalling and keeps message-waiting subscriptions; media, codecs and the calls themselves are baresip's.
 */

export interface SipMessage {
  /** Request: method and Request-URI; response: status and reason. */
  readonly method?: string
  readonly uri?: string
  readonly status?: number
  readonly reason?: string
  /** Headers in order, names in their canonical long form. */
  readonly headers: [string, string][]
  readonly body: string
}

const COMPACT: Record<string, string> = {
  v: 'Via',
  f: 'From',
  t: 'To',
  i: 'Call-ID',
  m: 'Contact',
  l: 'Content-Length',
  c: 'Content-Type',
  e: 'Content-Encoding',
  o: 'Event',
  k: 'Supported',
  s: 'Subject'
}
const CANONICAL = new Map(
  [
    'Via',
    'From',
    'To',
    'Call-ID',
    'CSeq',
    'Contact',
    'Content-Length',
    'Content-Type',
    'Event',
    'Expires',
    'Max-Forwards',
    'Record-Route',
    'Route',
    'Subscription-State',
    'User-Agent',
    'Allow',
    'Accept',
    'Diversion'
  ].map((n) => [n.toLowerCase(), n])
)

function canonical(name: string): string {
  const n = name.trim()
  return COMPACT[n.toLowerCase()] ?? CANONICAL.get(n.toLowerCase()) ?? n
}

/** Splits a header value on commas outside quotes and angle brackets (Via, Record-Route, Route). */
export function splitList(value: string): string[] {
  const out: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === '<') depth++
    else if (!quoted && ch === '>') depth--
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim())
      start = i + 1
    }
  }
  out.push(value.slice(start).trim())
  return out.filter((v) => v.length > 0)
}

const LISTS = new Set(['Via', 'Record-Route', 'Route'])

export function parseSip(data: Buffer): SipMessage | null {
  const text = data.toString('utf8')
  const split = text.indexOf('\r\n\r\n')
  const head = split < 0 ? text : text.slice(0, split)
  const body = split < 0 ? '' : text.slice(split + 4)
  const lines = head.split('\r\n')
  const first = lines.shift() ?? ''
  const headers: [string, string][] = []
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1]
      if (last) last[1] += ` ${line.trim()}`
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) return null
    const name = canonical(line.slice(0, colon))
    const value = line.slice(colon + 1).trim()
    if (LISTS.has(name)) for (const v of splitList(value)) headers.push([name, v])
    else headers.push([name, value])
  }
  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(first)
  if (response) return { status: Number(response[1]), reason: response[2] ?? '', headers, body }
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first)
  if (request) return { method: request[1] ?? '', uri: request[2] ?? '', headers, body }
  return null
}

export function header(msg: SipMessage, name: string): string | undefined {
  return msg.headers.find(([n]) => n === name)?.[1]
}

export function headers(msg: SipMessage, name: string): string[] {
  return msg.headers.filter(([n]) => n === name).map(([, v]) => v)
}

export function writeSip(msg: SipMessage): Buffer {
  const start =
    msg.method !== undefined
      ? `${msg.method} ${msg.uri ?? ''} SIP/2.0`
      : `SIP/2.0 ${msg.status} ${msg.reason}`
  const lines = msg.headers.filter(([n]) => n !== 'Content-Length').map(([n, v]) => `${n}: ${v}`)
  lines.push(`Content-Length: ${Buffer.byteLength(msg.body)}`)
  return Buffer.from(`${start}\r\n${lines.join('\r\n')}\r\n\r\n${msg.body}`)
}

/** A parameter of a header value (`;tag=abc`), or undefined. */
export function param(value: string, name: string): string | undefined {
  const afterUri = value.includes('>') ? value.slice(value.lastIndexOf('>')) : value
  const m = new RegExp(`;\\s*${name}=([^;,\\s>]+)`, 'i').exec(afterUri)
  return m?.[1]
}

/** The URI inside a name-addr (`"Bob" <sip:x@y>;tag=1` -> `sip:x@y`) or the addr-spec itself. */
export function uriOf(value: string): string {
  const m = /<([^>]*)>/.exec(value)
  return (m?.[1] ?? value.split(';')[0] ?? '').trim()
}

/** The user part of a SIP URI (`sip:+1212@d` -> `+1212`), or ''. */
export function userOf(uri: string): string {
  const m = /^sips?:([^@;>]+)@/i.exec(uri)
  return m?.[1] ? decodeURIComponent(m[1]) : ''
}

/** The display name of a name-addr, or null. */
export function displayOf(value: string): string | null {
  const m = /^\s*"((?:[^"\\]|\\.)*)"\s*</.exec(value) ?? /^\s*([^<"]+?)\s*</.exec(value)
  return m?.[1] ? m[1].replace(/\\(.)/g, '$1') : null
}

/** host and port of a SIP URI's hostport (default 5060). */
export function hostPortOf(uri: string): { host: string; port: number } | null {
  const m = /^sips?:(?:[^@]+@)?([^:;>]+)(?::(\d+))?/i.exec(uri)
  if (!m?.[1]) return null
  return { host: m[1], port: m[2] ? Number(m[2]) : 5060 }
}

/** Where a response goes back to, from a Via value: received/rport if the sender's NAT moved it, else sent-by. */
export function viaTarget(via: string): { host: string; port: number } | null {
  const m = /^SIP\/2\.0\/UDP\s+([^:;\s]+)(?::(\d+))?/i.exec(via)
  if (!m?.[1]) return null
  const received = param(via, 'received')
  const rport = param(via, 'rport')
  return {
    host: received ?? m[1],
    port: rport && /^\d+$/.test(rport) ? Number(rport) : m[2] ? Number(m[2]) : 5060
  }
}

/** A response to a request: Via, From, To, Call-ID and CSeq copied (RFC 3261 8.2.6.2), plus extra headers. */
export function responseTo(
  req: SipMessage,
  status: number,
  reason: string,
  extra: [string, string][] = [],
  toTag?: string
): SipMessage {
  const copied = req.headers.filter(([n]) => ['Via', 'From', 'Call-ID', 'CSeq'].includes(n))
  let to = header(req, 'To') ?? ''
  if (toTag && !param(to, 'tag')) to = `${to};tag=${toTag}`
  const vias = copied.filter(([n]) => n === 'Via')
  const rest = copied.filter(([n]) => n !== 'Via')
  return { status, reason, headers: [...vias, ...rest, ['To', to], ...extra], body: '' }
}
