/**
 * What a per-address budget counts (src/server/http/client-network.ts): an IPv4 address as it is, an IPv6 one by
 * its /64, so a client rotating through the addresses of its /64 spends one budget; subjects joining an address
 * with a serial or an identifier keep the rest as it is.
 */
import { describe, expect, it } from 'vitest'
import { budgetAddress, budgetSubject } from '../../../src/server/http/client-network'

describe('the address a budget counts', () => {
  it('is an IPv4 address itself, and an IPv6 one its /64', () => {
    expect(budgetAddress('192.0.2.7')).toBe('192.0.2.7')
    expect(budgetAddress('::ffff:192.0.2.7')).toBe('192.0.2.7')
    const a = budgetAddress('2001:db8:1:2:aaaa:bbbb:cccc:1')
    expect(a).toBe('2001:db8:1:2::/64')
    for (const other of ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002::9'])
      expect(budgetAddress(other)).toBe(a)
    expect(budgetAddress('2001:db8:1:3::1')).not.toBe(a)
    expect(budgetAddress('unknown')).toBe('unknown')
  })

  it('changes only the IPv6 addresses in a subject', () => {
    expect(budgetSubject('MJ-0001-2345 2001:db8:1:2::77')).toBe('MJ-0001-2345 2001:db8:1:2::/64')
    expect(budgetSubject('MJ-0001-2345 192.0.2.7')).toBe('MJ-0001-2345 192.0.2.7')
    for (const kept of ['all', 'acc_0123456789', 'someone@example.test', 'a:b', 'tok:abc:def'])
      expect(budgetSubject(kept)).toBe(kept)
  })
})
