/**
 * Call transfer from the screen (issue 23 item 5), the codes both sides share: how a transfer ended, as a code
 * the Phone page words (`transfer.outcome.*`). Blind: the call in progress is sent a REFER to the number typed.
 * Attended: the person first calls the new party (hook flash or the screen's "Consult": the first call waits on
 * hold), then the held party is sent a REFER whose Refer-To carries Replaces for the consult call, so the two
 * are joined and this line leaves both calls. The other way round, a transfer another party asks of this line is
 * followed when its target is a number the line may call for it (followableTarget).
 */
import { normalizeNanp } from '../numbers/nanp'

export const TRANSFER_OUTCOMES = [
  /** The transferee reached the new party (NOTIFY 200): this line has left the call. */
  'transferred',
  /** There is no call to transfer (or, attended, no consult call answered with a held call behind it). */
  'noCall',
  /** The number typed is not one the line can dial (or an emergency number, never transferred). */
  'badNumber',
  /** The other party refused the REFER (it does not do transfers). */
  'refused',
  /** The other party tried and could not reach the new party (busy, no answer, not found). */
  'failed',
  /** No final word from the other party in time: the calls stay as they were. */
  'timeout'
] as const
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number]

/** How long the transferee may take to reach the new party before the transfer is given up (ms). */
export const TRANSFER_TIMEOUT_MS = 30_000

/** The final status line of a message/sipfrag NOTIFY body ("SIP/2.0 200 OK"), or null when not final yet. */
export function sipfragStatus(body: string): number | null {
  const m = /^SIP\/2\.0 (\d{3})/.exec(body.trim())
  const code = m ? Number(m[1]) : null
  return code !== null && code >= 200 ? code : null
}

/** A transfer's target as the REFER's Refer-To names it (the parts of its SIP URI this side reads). */
export interface ReferTarget {
  readonly scheme: string
  readonly user: string | undefined
  readonly host: string
  /** The names of its URI headers (an attended transfer's Replaces is the only one allowed). */
  readonly headers: readonly string[]
  /** The Replaces header's value as the URI carries it (escaped), when there is one. */
  readonly replaces: string | null
  /** The URI's port, when it names one (none is followed: the line calls its own server). */
  readonly port: number | null
  /** Its parameters as written, `name=value` (user=phone alone is allowed: a maddr or a transport sends elsewhere). */
  readonly params: readonly string[]
}

/**
 * An attended transfer's Replaces, decoded, when it is what RFC 3891 writes (a Call-ID, its to-tag and from-tag,
 * maybe early-only) in visible ASCII; else null. The line puts it into the INVITE it sends as a header of its own:
 * an escaped CR LF would add headers of the sender's choosing, and a bad escape would not decode at all.
 */
export function replacesValue(raw: string): string | null {
  let value: string
  try {
    value = decodeURIComponent(raw)
  } catch {
    return null
  }
  if (!/^[!-~]+$/.test(value)) return null
  const [callId, ...params] = value.split(';')
  const known = params.every((p) => /^(to-tag|from-tag)=[^=]+$/i.test(p) || /^early-only$/i.test(p))
  const once = (name: string) => params.filter((p) => p.toLowerCase().startsWith(`${name}=`)).length === 1
  return callId && known && once('to-tag') && once('from-tag') ? value : null
}

/**
 * The number a transfer another party asks of this line may call (E.164), or null when the line declines it. The
 * line calls it as itself, on its account, so only a North American number at the line's own domain is followed:
 * no code (911, 933, a star code), nothing after 011, no other host or port, no parameter but user=phone (a maddr
 * or a transport would send it elsewhere), no URI header but a Replaces RFC 3891 would write (replacesValue). The SIP
 * server refuses before this what a plan does not include that only its NANP table knows (another NANP country,
 * premium rate: route[REFER_TARGET] in resources/kamailio/kamailio.cfg); this is the app's own check of what it is
 * about to call.
 */
export function followableTarget(target: ReferTarget, domain: string): string | null {
  if (!/^sips?$/i.test(target.scheme) || target.port !== null) return null
  if (target.host.toLowerCase() !== domain.toLowerCase()) return null
  if (target.params.some((p) => p.toLowerCase() !== 'user=phone')) return null
  if (target.headers.some((h) => h.toLowerCase() !== 'replaces')) return null
  if (target.replaces !== null && replacesValue(target.replaces) === null) return null
  if (!target.user || !/^1?\d{10}$/.test(target.user)) return null
  return normalizeNanp(target.user)
}
