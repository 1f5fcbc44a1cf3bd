/**
 * The voicemail server's SIP address (VOICEMAIL_URI): one UDP socket that Kamailio alone may reach. It
 *   - routes each new INVITE statelessly to a free baresip slot (Request-URI rewritten to the slot's `vm` user, a
 *     Via of its own added and removed on the way back; ACK and CANCEL follow by Call-ID); the slot answers, and
 *     the dialog then runs between Kamailio and baresip directly;
 *   - decodes the contract's Request-URI user: `deposit-<reason>-<box>` or `retrieve-<box>`;
 *   - answers message-summary SUBSCRIBEs (./mwi.ts) and hears the answers to its NOTIFYs.
 * Anything from another address is dropped: only Kamailio authenticates lines, so only it may speak here.
 */
import { createHash } from 'node:crypto'
import { type Socket, createSocket } from 'node:dgram'
import { normalizeNanp } from '../../shared/numbers/nanp'
import type { CallSession } from './call-flows'
import {
  type SipMessage,
  displayOf,
  header,
  param,
  parseSip,
  responseTo,
  uriOf,
  userOf,
  viaTarget,
  writeSip
} from './sip-message'

export const DEPOSIT_REASONS = ['unconditional', 'busy', 'no-answer', 'unavailable'] as const

/** The contract's Request-URI user -> what the call is for, or null. */
export function decodeTarget(
  user: string
): { kind: 'deposit'; reason: string; box: string } | { kind: 'retrieve'; box: string } | null {
  const d = /^deposit-(unconditional|busy|no-answer|unavailable)-(\d{6,15})$/.exec(user)
  if (d?.[1] && d[2]) return { kind: 'deposit', reason: d[1], box: d[2] }
  const r = /^retrieve-(\d{6,15})$/.exec(user)
  if (r?.[1]) return { kind: 'retrieve', box: r[1] }
  return null
}

export interface FrontSlot {
  readonly sipPort: number
  /** Its baresip is up and answering: a call may be given to it (a line down or restarting is skipped). */
  readonly running: boolean
  callId: string | null
}

export interface FrontOptions {
  readonly host: string
  readonly port: number
  /** Source addresses allowed to send anything (Kamailio's). */
  readonly trusted: readonly string[]
  readonly slots: readonly FrontSlot[]
  readonly onSession: (s: CallSession, slot: FrontSlot) => void
  readonly onSubscribe: (req: SipMessage, from: { host: string; port: number }) => void
  readonly onNotifyResponse: (res: SipMessage) => void
  readonly log: (m: string) => void
}

/**
 * The caller as the message keeps it: E.164 with '+'. A Dialtone line's From user is its number's digits without
 * '+' (its SIP user), a carrier's may be +E.164 or a ten-digit North American number; anything else (a SIP name)
 * stays as it came.
 */
function callerNumber(user: string): string {
  const nanp = normalizeNanp(user)
  if (nanp) return nanp
  return /^\+?\d{7,15}$/.test(user) ? `+${user.replace(/^\+/, '')}` : user
}

export class SipFront {
  private socket: Socket | null = null
  private readonly byCall = new Map<string, FrontSlot>()

  constructor(private readonly o: FrontOptions) {}

  get udp(): Socket {
    if (!this.socket) throw new Error('the voicemail front is not started')
    return this.socket
  }

  async start(): Promise<void> {
    const socket = createSocket('udp4')
    this.socket = socket
    socket.on('message', (data, rinfo) => this.onMessage(data, { host: rinfo.address, port: rinfo.port }))
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(this.o.port, this.o.host, () => resolve())
    })
  }

  /** The slot's call ended: it takes the next one. */
  release(slot: FrontSlot): void {
    if (slot.callId) this.byCall.delete(slot.callId)
    slot.callId = null
  }

  private send(msg: SipMessage, to: { host: string; port: number }): void {
    this.socket?.send(writeSip(msg), to.port, to.host)
  }

  private branchFor(req: SipMessage): string {
    const top = header(req, 'Via') ?? ''
    const b = param(top, 'branch') ?? top
    return `z9hG4bKvmf${createHash('sha1').update(b).digest('hex').slice(0, 20)}`
  }

  private forward(req: SipMessage, slot: FrontSlot): void {
    const via = `SIP/2.0/UDP ${this.o.host}:${this.o.port};branch=${this.branchFor(req)}`
    const mf = Number(header(req, 'Max-Forwards') ?? 70)
    const rest = req.headers.filter(([n]) => n !== 'Max-Forwards')
    this.send(
      {
        ...req,
        uri: `sip:vm@127.0.0.1:${slot.sipPort}`,
        headers: [['Via', via], ...rest, ['Max-Forwards', String(Math.max(0, mf - 1))]]
      },
      { host: '127.0.0.1', port: slot.sipPort }
    )
  }

  private onMessage(data: Buffer, from: { host: string; port: number }): void {
    const fromSlot = from.host === '127.0.0.1' && this.o.slots.some((s) => s.sipPort === from.port)
    if (!fromSlot && !this.o.trusted.includes(from.host)) return
    const msg = parseSip(data)
    if (!msg) return
    if (msg.status !== undefined) return this.onResponse(msg, fromSlot)
    if (fromSlot) return
    const callId = header(msg, 'Call-ID') ?? ''
    const toTag = param(header(msg, 'To') ?? '', 'tag')
    switch (msg.method) {
      case 'SUBSCRIBE':
        return this.o.onSubscribe(msg, from)
      case 'INVITE': {
        if (toTag) return this.send(responseTo(msg, 481, 'Call/Transaction Does Not Exist'), from)
        const known = this.byCall.get(callId)
        if (known) return this.forward(msg, known)
        const target = decodeTarget(userOf(msg.uri ?? ''))
        if (!target) return this.send(responseTo(msg, 404, 'No such mailbox'), from)
        const slot = this.o.slots.find((s) => s.running && s.callId === null)
        if (!slot) {
          this.o.log('voicemail: every line is busy or down; a call was refused with 486')
          return this.send(responseTo(msg, 486, 'Voicemail busy'), from)
        }
        slot.callId = callId
        this.byCall.set(callId, slot)
        const fromHdr = header(msg, 'From') ?? ''
        const fromUri = uriOf(fromHdr)
        const user = userOf(fromUri)
        const hidden =
          /anonymous/i.test(fromUri) || /\bid\b/i.test(header(msg, 'Privacy') ?? '') || user === ''
        this.o.onSession(
          {
            callId,
            kind: target.kind,
            reason: target.kind === 'deposit' ? target.reason : 'retrieve',
            box: target.box,
            caller: hidden ? 'anonymous' : callerNumber(user),
            callerName: hidden ? null : displayOf(fromHdr)
          },
          slot
        )
        return this.forward(msg, slot)
      }
      case 'CANCEL':
      case 'ACK': {
        const slot = this.byCall.get(callId)
        if (slot) this.forward(msg, slot)
        return
      }
      default: {
        // An in-dialog request sent here rather than to the slot's Contact (a next hop that routes by address).
        const slot = toTag ? this.byCall.get(callId) : undefined
        if (slot) return this.forward(msg, slot)
        this.send(responseTo(msg, 481, 'Call/Transaction Does Not Exist'), from)
      }
    }
  }

  private onResponse(res: SipMessage, fromSlot: boolean): void {
    const vias = res.headers.filter(([n]) => n === 'Via')
    const top = vias[0]?.[1] ?? ''
    const branch = param(top, 'branch') ?? ''
    if (!fromSlot) {
      if (branch.startsWith('z9hG4bKvmn')) this.o.onNotifyResponse(res)
      return
    }
    if (!branch.startsWith('z9hG4bKvmf')) return
    const next = vias[1]?.[1]
    const to = next ? viaTarget(next) : null
    if (!to) return
    let dropped = false
    const headers = res.headers.filter(([n]) => {
      if (n === 'Via' && !dropped) {
        dropped = true
        return false
      }
      return true
    })
    this.send({ ...res, headers }, to)
  }

  async stop(): Promise<void> {
    const s = this.socket
    this.socket = null
    if (s) await new Promise<void>((r) => s.close(() => r()))
  }
}
