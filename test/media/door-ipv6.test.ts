/**
 * The lines' door counts an IPv6 client by its /64 (resources/haproxy/sip-wss.cfg: `src,ipmask(32,64)`), the block a
 * subscriber or a machine is given, for its connection limit and in the X-Forwarded-For by which Kamailio counts a
 * flood (resources/kamailio/flood.cfg). Here, not with the other door tests (kamailio-flood.test.ts): it needs IPv6
 * addresses of its own, which this process may give its loopback only inside the media suite's network namespace
 * (scripts/netns.mjs), from the documentation prefix 2001:db8::/32. Two clients in 2001:db8:1:2::/64 are one client
 * to both limits; a client in 2001:db8:1:3::/64 is another. The real HAProxy on [::1], the real Kamailio behind it.
 */
import { execFileSync } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type KamailioService, startKamailioService } from '../support/kamailio-service'
import { assertIsolatedNetwork } from '../support/phone-app'
import { type RawSipWs, answeredWithin, optionsBurst, rawSipWs, sendOptions } from '../support/raw-sip-ws'
import { type SipTerminator, startSipTerminator } from '../support/sip-terminator'

const SAME = ['2001:db8:1:2::10', '2001:db8:1:2::11']
const OTHER = '2001:db8:1:3::10'

let stack: KamailioService
let door: SipTerminator
const open: RawSipWs[] = []

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  for (const address of [...SAME, OTHER])
    execFileSync('ip', ['-6', 'addr', 'replace', `${address}/64`, 'dev', 'lo'])
  stack = await startKamailioService('sqlite', {
    flood: { density: 10, banSeconds: 30 },
    terminatorAddr: '127.0.0.1'
  })
  door = await startSipTerminator({ kamailioWsPort: stack.kam.wsPort, host: '::1', connsPerAddress: 3 })
}, 60_000)
afterAll(async () => {
  for (const c of open) c.close()
  await door?.stop()
  await stack?.close()
})

async function client(address: string): Promise<RawSipWs> {
  const c = await rawSipWs(door.url, undefined, { localAddress: address, rejectUnauthorized: false })
  open.push(c)
  return c
}

/** A new request (counted) over `c`; whether it was answered within `ms`. */
const answered = (c: RawSipWs, ms = 1000): Promise<boolean> => answeredWithin(c, sendOptions(c), ms)

describe('the lines’ door and an IPv6 client', () => {
  it('counts a /64 as one client, for connections and for a flood; another /64 is another', async () => {
    // Three connections from two addresses of one /64 fill its three; a fourth, from either, is closed at once.
    const [a, b] = [await client(SAME[0] ?? ''), await client(SAME[1] ?? '')]
    await client(SAME[0] ?? '')
    await expect(client(SAME[1] ?? '')).rejects.toThrow()
    const other = await client(OTHER)
    expect(await answered(other)).toBe(true)

    // A flood from one address of the /64 bans the other too (Kamailio counts the prefix the door wrote).
    const flood = await optionsBurst(a, 40)
    expect(flood.filter(Boolean).length).toBeLessThanOrEqual(20)
    expect(stack.kam.output()).toMatch(/a flood of SIP requests from 2001:db8:1:2::: /)
    expect(await answered(b)).toBe(false)
    expect(await answered(other)).toBe(true)
  }, 30_000)
})
