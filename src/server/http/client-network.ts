/**
 * The part of a client's address a per-address budget counts. An IPv4 address as it is; an IPv6 one by its /64:
 * a host or a site is given a whole /64 and may use any of its 2^64 addresses, so counting each address would give
 * one client a fresh budget per address (the SIP door counts the same way: resources/haproxy/sip-wss.cfg). An
 * IPv4-mapped IPv6 address (::ffff:192.0.2.1) is the IPv4 one. The logs keep their own grouping
 * (request-log.ts, `networkOf`).
 */
import ipaddr from 'ipaddr.js'

export function budgetAddress(address: string): string {
  if (!ipaddr.isValid(address)) return address
  const parsed = ipaddr.process(address)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  const [a = 0, b = 0, c = 0, d = 0] = (parsed as ipaddr.IPv6).parts
  return `${new ipaddr.IPv6([a, b, c, d, 0, 0, 0, 0]).toString()}/64`
}

/**
 * A budget's subject with every IPv6 address in it counted by its /64 (subjects join an address with a serial or an
 * identifier by spaces). Only IPv6 literals change: serials, emails and ids are never one.
 */
export function budgetSubject(subject: string): string {
  if (!subject.includes(':')) return subject
  return subject
    .split(' ')
    .map((part) => (ipaddr.IPv6.isValid(part) ? budgetAddress(part) : part))
    .join(' ')
}
