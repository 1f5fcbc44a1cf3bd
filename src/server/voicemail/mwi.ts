/**
 * Message waiting, the notifier side (RFC 3842 over RFC 6665): a line's SUBSCRIBE to its own message-summary,
 * relayed by Kamailio (record-routed), is answered here; the subscription is kept in memory (a line re-subscribes
 * after a restart of this server, as sip.js does on its refresh), and every change to the box sends a NOTIFY back
 * along the route set, through Kamailio to the line's WebSocket. `Messages-Waiting: yes` while any message is
 * unheard.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { Socket } from 'node:dgram'
import {
  type SipMessage,
  header,
  headers,
  hostPortOf,
  param,
  responseTo,
  uriOf,
  userOf,
  writeSip
} from './sip-message'

interface Subscription {
  readonly box: string
  readonly callId: string
  readonly localTag: string
  readonly localUri: string
  readonly remoteTag: string
  readonly remoteUri: string
  remoteTarget: string
  readonly routeSet: readonly string[]
  cseq: number
  expiresAt: number
  timer: NodeJS.Timeout | null
}

const MAX_EXPIRES_S = 3600

/**
 * A box as the log names it: a box is its line's SIP username, the phone number without its `+`, and numbers stay
 * out of logs (docs/service.md). The line's id is not known here (the box is all a SUBSCRIBE carries), so a short
 * tag: HMAC-SHA-256 under a key this process draws at its start, its first 4 bytes as 8 letters (a-p, one per
 * nibble). The same box has the same tag for as long as the server runs (one subscription's NOTIFYs can be
 * followed), and no one can work back to the number: a plain hash of a phone number can be, by hashing every number
 * (there are only so many). Letters, not hex digits: one tag in 40 was all digits, which a log's scan for phone
 * numbers (and the test of this) reads as a number.
 */
const TAG_KEY = randomBytes(32)
export const boxTag = (box: string): string =>
  [...createHmac('sha256', TAG_KEY).update(box).digest().subarray(0, 4)]
    .map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15)))
    .join('')

export class MwiNotifier {
  private readonly subs = new Map<string, Subscription>()

  constructor(
    private readonly socket: Socket,
    private readonly self: { host: string; port: number },
    private readonly domain: string,
    /** Unheard and total message counts of a box (null when no such box). */
    private readonly counts: (box: string) => Promise<{ unheard: number; heard: number } | null>,
    private readonly log: (m: string) => void
  ) {}

  private closed = false

  private send(msg: SipMessage, to: { host: string; port: number }): void {
    // A box that changed while the server stopped (a message kept at the stop) tells nobody: the socket is closing.
    if (this.closed) return
    this.socket.send(writeSip(msg), to.port, to.host)
  }

  /** A SUBSCRIBE (new or refresh) from Kamailio. */
  async onSubscribe(req: SipMessage, from: { host: string; port: number }): Promise<void> {
    const event = header(req, 'Event') ?? ''
    if (!/^message-summary\b/i.test(event)) {
      this.send(responseTo(req, 489, 'Bad Event'), from)
      return
    }
    const callId = header(req, 'Call-ID') ?? ''
    const fromHdr = header(req, 'From') ?? ''
    const toHdr = header(req, 'To') ?? ''
    const box = userOf(req.uri ?? '')
    const subscriber = userOf(uriOf(fromHdr))
    // Kamailio already allows a line only its own box; this is the second lock on the same door.
    if (!/^\d{6,15}$/.test(box) || subscriber.replace(/^\+/, '') !== box) {
      this.send(responseTo(req, 403, 'Only your own mailbox'), from)
      return
    }
    const known = this.subs.get(callId)
    const counts = await this.counts(box)
    if (!counts) {
      this.send(responseTo(req, 404, 'No such mailbox'), from)
      return
    }
    const asked = Number(header(req, 'Expires') ?? MAX_EXPIRES_S)
    const expires = Math.max(0, Math.min(Number.isFinite(asked) ? asked : MAX_EXPIRES_S, MAX_EXPIRES_S))
    const localTag = known?.localTag ?? param(toHdr, 'tag') ?? randomBytes(6).toString('hex')
    const contact = `<sip:vm@${this.self.host}:${this.self.port}>`
    this.send(
      responseTo(
        req,
        200,
        'OK',
        [
          ['Contact', contact],
          ['Expires', String(expires)]
        ],
        localTag
      ),
      from
    )
    const sub: Subscription = known ?? {
      box,
      callId,
      localTag,
      localUri: uriOf(toHdr),
      remoteTag: param(fromHdr, 'tag') ?? '',
      remoteUri: uriOf(fromHdr),
      remoteTarget: uriOf(header(req, 'Contact') ?? fromHdr),
      routeSet: headers(req, 'Record-Route'),
      cseq: 0,
      expiresAt: 0,
      timer: null
    }
    const contactNow = header(req, 'Contact')
    if (contactNow) sub.remoteTarget = uriOf(contactNow)
    if (sub.timer) clearTimeout(sub.timer)
    if (expires === 0) {
      this.subs.delete(callId)
      this.notify(sub, counts, 'terminated;reason=timeout')
      return
    }
    sub.expiresAt = Date.now() + expires * 1000
    sub.timer = setTimeout(() => this.subs.delete(callId), expires * 1000 + 5000)
    sub.timer.unref()
    this.subs.set(callId, sub)
    this.notify(sub, counts, `active;expires=${expires}`)
  }

  /** The box changed: every subscription to it hears the new state. */
  async changed(box: string): Promise<void> {
    const mine = [...this.subs.values()].filter((s) => s.box === box)
    if (mine.length === 0) return
    const counts = await this.counts(box)
    if (!counts) return
    for (const s of mine) {
      const left = Math.max(0, Math.round((s.expiresAt - Date.now()) / 1000))
      this.notify(s, counts, `active;expires=${left}`)
    }
  }

  /** A response to one of our NOTIFYs: a 481 means the line forgot the subscription. */
  onNotifyResponse(res: SipMessage): void {
    const callId = header(res, 'Call-ID') ?? ''
    if ((res.status ?? 0) === 481 || (res.status ?? 0) === 404) {
      const s = this.subs.get(callId)
      if (s?.timer) clearTimeout(s.timer)
      this.subs.delete(callId)
    }
  }

  private notify(s: Subscription, counts: { unheard: number; heard: number }, state: string): void {
    s.cseq++
    const body =
      `Messages-Waiting: ${counts.unheard > 0 ? 'yes' : 'no'}\r\n` +
      `Message-Account: sip:${s.box}@${this.domain}\r\n` +
      `Voice-Message: ${counts.unheard}/${counts.heard}\r\n`
    const branch = `z9hG4bKvmn${randomBytes(8).toString('hex')}`
    // Loose routing (RFC 3261 12.2.1.1): the route set as Route headers, sent to its first hop.
    const firstHop = s.routeSet[0] ? hostPortOf(uriOf(s.routeSet[0])) : hostPortOf(s.remoteTarget)
    if (!firstHop) return
    const msg: SipMessage = {
      method: 'NOTIFY',
      uri: s.remoteTarget,
      headers: [
        ['Via', `SIP/2.0/UDP ${this.self.host}:${this.self.port};branch=${branch};rport`],
        ...s.routeSet.map((r): [string, string] => ['Route', r]),
        ['Max-Forwards', '70'],
        ['From', `<${s.localUri}>;tag=${s.localTag}`],
        ['To', `<${s.remoteUri}>;tag=${s.remoteTag}`],
        ['Call-ID', s.callId],
        ['CSeq', `${s.cseq} NOTIFY`],
        ['Contact', `<sip:vm@${this.self.host}:${this.self.port}>`],
        ['Event', 'message-summary'],
        ['Subscription-State', state],
        ['Content-Type', 'application/simple-message-summary']
      ],
      body
    }
    this.send(msg, firstHop)
    // UDP: say it again a few times unless answered (RFC 3261 timer E, simplified: 0.5, 1, 2 s).
    let tries = 0
    const again = (): void => {
      if (tries++ >= 3 || !this.pendingBranches.has(branch)) return
      this.send(msg, firstHop)
      setTimeout(again, 500 * 2 ** tries).unref()
    }
    this.pendingBranches.add(branch)
    setTimeout(again, 500).unref()
    setTimeout(() => this.pendingBranches.delete(branch), 8000).unref()
    this.log(`voicemail: NOTIFY box ${boxTag(s.box)} waiting=${counts.unheard > 0 ? 'yes' : 'no'}`)
  }

  readonly pendingBranches = new Set<string>()

  answered(branch: string): void {
    this.pendingBranches.delete(branch)
  }

  close(): void {
    this.closed = true
    for (const s of this.subs.values()) if (s.timer) clearTimeout(s.timer)
    this.subs.clear()
  }
}
