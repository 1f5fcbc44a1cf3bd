/**
 * The request log keeps the network a request came from, not the client's address (src/server/http/request-log.ts):
 * an IPv4 /24, an IPv6 /48, an IPv4 address in IPv6 form as the IPv4 it is.
 */
import { describe, expect, it } from 'vitest'
import { networkOf } from '../../../src/server/http/request-log'

describe('the network of an address', () => {
  it('keeps an IPv4 /24 and an IPv6 /48, never the address', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24')
    expect(networkOf('::ffff:198.51.100.9')).toBe('198.51.100.0/24')
    expect(networkOf('2001:db8:85a3:1:2:3:4:5')).toBe('2001:db8:85a3::/48')
    expect(networkOf('::1')).toBe('::/48')
    expect(networkOf('not an address')).toBe('unknown')
  })
})
