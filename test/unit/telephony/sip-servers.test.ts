/** The SIP server list: SRV-style order (priority, then weighted choice), the service's setting, and its errors. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/server/config'
import { orderSipServers, parseSipServers } from '../../../src/shared/telephony/sip-servers'

const A = 'wss://a.example:443'
const B = 'wss://b.example:443'
const C = 'wss://c.example:443'

describe('SIP servers', () => {
  it('tries lower priorities first, whatever the order given', () => {
    const servers = [
      { websocketUrl: C, priority: 30, weight: 0 },
      { websocketUrl: A, priority: 10, weight: 0 },
      { websocketUrl: B, priority: 20, weight: 0 }
    ]
    expect(orderSipServers(servers, C, () => 0.5)).toEqual([A, B, C])
  })

  it('shares lines among equal priorities by weight (RFC 2782)', () => {
    const servers = [
      { websocketUrl: A, priority: 10, weight: 75 },
      { websocketUrl: B, priority: 10, weight: 25 },
      { websocketUrl: C, priority: 20, weight: 0 }
    ]
    // The draw falls in A's 75 or in B's 25 of the running sum (zero weights first, then 25 for B, then A).
    expect(orderSipServers(servers, A, () => 0.1)).toEqual([B, A, C])
    expect(orderSipServers(servers, A, () => 0.9)).toEqual([A, B, C])
    let first = 0
    let seed = 1
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    for (let i = 0; i < 4000; i++) if (orderSipServers(servers, A, random)[0] === A) first++
    expect(first / 4000).toBeGreaterThan(0.7)
    expect(first / 4000).toBeLessThan(0.8)
  })

  it('falls back to the single URL when the service sends no list', () => {
    expect(orderSipServers(undefined, A)).toEqual([A])
    expect(orderSipServers([], A)).toEqual([A])
  })

  it('reads the service setting and refuses what is not a priority, a weight and a ws(s) URL', () => {
    expect(parseSipServers(`10 60 ${A}, 20 0 ${B}`)).toEqual([
      { websocketUrl: A, priority: 10, weight: 60 },
      { websocketUrl: B, priority: 20, weight: 0 }
    ])
    expect(() => parseSipServers('')).toThrow(/empty/)
    expect(() => parseSipServers(`10 ${A}`)).toThrow(/priority weight/)
    expect(() => parseSipServers('10 0 http://a.example')).toThrow(/priority weight/)
    expect(() => parseSipServers(`70000 0 ${A}`)).toThrow(/0-65535/)
  })

  it('configures the service from DIALTONE_SIP_SERVERS, the first by priority also as the single URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-sip-servers-'))
    const c = loadConfig({ DIALTONE_SIP_SERVERS: `20 0 ${B}, 10 0 ${A}` }, dir)
    expect(c.sip.websocketUrl).toBe(A)
    expect(c.sip.servers).toHaveLength(2)
    expect(() => loadConfig({ DIALTONE_SIP_SERVERS: `10 0 ${A}`, DIALTONE_SIP_WS_URL: B }, dir)).toThrow(
      /not both/
    )
    expect(() => loadConfig({ DIALTONE_SIP_SERVERS: 'a b c' }, dir)).toThrow(/DIALTONE_SIP_SERVERS/)
    expect(loadConfig({}, dir).sip.servers).toBeUndefined()
  })
})
