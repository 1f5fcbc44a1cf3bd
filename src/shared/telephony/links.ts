/**
 * tel: (RFC 3966) and sip:/sips: (RFC 3261) links as the number to dial: visual separators dropped, parameters
 * (";phone-context=…", ";user=phone") and a sip: host ignored; a sip: user that is not a phone number is not
 * something the analog line can dial, so it gives null.
 */
import { dialable } from './dial-plan'

export function numberFromLink(link: string): string | null {
  const m = /^(tel|sips?):(.+)$/i.exec(link.trim())
  if (!m) return null
  let target = decodeURIComponent(m[2] ?? '').replace(/^\/\//, '')
  target = target.split(/[;?]/)[0] ?? ''
  if (m[1]?.toLowerCase() !== 'tel') target = target.split('@')[0] ?? ''
  if (!/^\+?[\d\s().\-*#]+$/.test(target)) return null
  const n = dialable(target)
  return /\d/.test(n) ? n : null
}
