/**
 * An incoming INVITE as the line sees it: the call (its remote as a NANP number, or 'private' when the caller
 * hides it), the caller ID the phone is sent between rings (number without the leading 1, name cut to the 15
 * characters MDMF carries, the local date and time), and whether the account has blocked the number.
 */
import type { Invitation } from 'sip.js'
import { normalizeNanp } from '../../shared/numbers/nanp'
import type { CallerInfo } from '../../shared/telephony/caller-id'
import type { Call, LineEvent } from '../../shared/telephony/line-state'

export function incomingEvent(
  invitation: Invitation,
  id: string,
  at: Date,
  isBlocked: (remote: string) => boolean
): LineEvent & { readonly type: 'incoming' } {
  const identity = invitation.remoteIdentity
  const user = identity.uri.user ?? ''
  const anonymous = /anonymous/i.test(user) || /anonymous/i.test(identity.displayName ?? '')
  const remote = anonymous ? 'private' : (normalizeNanp(user) ?? user)
  const call: Call = { id, direction: 'in', remote }
  const callerId: CallerInfo = {
    at: { month: at.getMonth() + 1, day: at.getDate(), hour: at.getHours(), minute: at.getMinutes() },
    number: anonymous ? 'private' : user.replace(/^\+?1(?=\d{10}$)/, ''),
    name: anonymous ? 'private' : identity.displayName ? identity.displayName.slice(0, 15) : null
  }
  return { type: 'incoming', call, callerId, blocked: !anonymous && isBlocked(remote) }
}
