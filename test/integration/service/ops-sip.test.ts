/**
 * `dialtone-ops sip` through the real CLI process, against the service and the real Kamailio it asks over JSON-RPC:
 * a client at 127.0.0.2 floods Kamailio (flood.cfg, a limit of 10 new requests in 2 s, a 60 s ban) and is dropped;
 * support sees its ban and lets it in again, audited with the reason and the ban lifted, after which the address is
 * answered; lifting it again, or an address never banned, is not-found; billing may do neither; an address the SIP
 * server could not have written is refused before anything is asked of Kamailio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { type KamailioService, startKamailioService } from '../../support/kamailio-service'
import { type Operator, OpsCli, enrolAndSignIn, freshCode, makeOperator } from '../../support/ops'
import { type RawSipWs, answeredWithin, optionsBurst, rawSipWs, sendOptions } from '../../support/raw-sip-ws'

const REASON = ['--reason', 'an office behind 127.0.0.2 reconnected all its phones at once, ticket 8812']

let stack: KamailioService
let flooder: RawSipWs
const cli: Record<'support' | 'billing', OpsCli> = {} as never

beforeAll(async () => {
  stack = await startKamailioService('sqlite', { flood: { density: 10, banSeconds: 60 } })
  const svc = stack.svc
  const boot = await bootstrapAdmin(svc.service.ctx, { email: 'root@ops.dialtone.test', name: 'Root' })
  const admin: Operator = {
    ...(await enrolAndSignIn(svc, 'root@ops.dialtone.test', boot.enrolmentToken)),
    id: boot.operator.id
  }
  for (const role of ['support', 'billing'] as const) {
    const op = await makeOperator(svc, admin.token, role)
    cli[role] = new OpsCli(svc)
    const r = await cli[role].run(['login', '--email', op.email, '--code', freshCode(svc, op.secret)], {
      DIALTONE_OPS_PASSWORD: op.password
    })
    expect(r.code, r.stderr).toBe(0)
  }
  flooder = await rawSipWs(stack.kam.wsUrl, undefined, { localAddress: '127.0.0.2' })
}, 60_000)
afterAll(async () => {
  flooder?.close()
  await stack?.close()
})

/** A new request (counted) from the flooder; whether it was answered within `ms`. */
const answered = (ms = 1000): Promise<boolean> => answeredWithin(flooder, sendOptions(flooder), ms)

/** The bans lifted (refusals are audited too, as refused). */
const audit = () =>
  stack.svc.service.ctx.db
    .selectFrom('ops_audit')
    .selectAll()
    .where('action', '=', 'sip-unban')
    .where('outcome', '=', 'ok')
    .execute()

describe('dialtone-ops sip', () => {
  it('shows a flood ban, and support lets the address in again, audited', async () => {
    const flood = await optionsBurst(flooder, 30)
    expect(flood.filter(Boolean).length).toBeLessThanOrEqual(15)
    expect(await answered()).toBe(false)

    const listed = await cli.support.json<{ bans: { address: string; until: string }[] }>(['sip', 'bans'])
    const ban = listed.bans.find((b) => b.address === '127.0.0.2')
    expect(ban).toBeDefined()
    const left = Date.parse(ban?.until ?? '') - Date.now()
    expect(left).toBeGreaterThan(50_000)
    expect(left).toBeLessThanOrEqual(61_000)
    expect((await cli.support.run(['sip', 'bans'])).stdout).toMatch(/127\.0\.0\.2\s+\d{4}-/)

    // Billing may neither look nor lift.
    expect((await cli.billing.run(['sip', 'bans'])).code).toBe(5)
    expect((await cli.billing.run(['sip', 'unban', '127.0.0.2', ...REASON])).code).toBe(5)
    // An address the SIP server could not have written: refused before Kamailio is asked.
    const odd = await cli.support.run(['sip', 'unban', '127.0.0.2;x', ...REASON])
    expect([odd.code, odd.stderr.includes('an address as the SIP server names it')]).toEqual([3, true])
    // No reason: refused.
    expect((await cli.support.run(['sip', 'unban', '127.0.0.2'])).code).not.toBe(0)
    expect(await audit()).toHaveLength(0)

    const lifted = await cli.support.json<{ lifted: { address: string; until: string } }>([
      'sip',
      'unban',
      '127.0.0.2',
      ...REASON
    ])
    expect(lifted.lifted).toEqual(ban)
    const rows = await audit()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ target: '127.0.0.2', reason: REASON[1] })
    expect(JSON.parse(String(rows[0]?.before))).toEqual(ban)
    expect((await cli.support.json<{ bans: unknown[] }>(['sip', 'bans'])).bans).toEqual([])

    // Answered again at once: the count of the flood's own 2-second window went with the ban (else its next request
    // would have banned it again).
    expect(await answered()).toBe(true)
    // Lifting it again, or an address never banned: not found.
    expect((await cli.support.run(['sip', 'unban', '127.0.0.2', ...REASON])).code).toBe(6)
    expect((await cli.support.run(['sip', 'unban', '198.51.100.4', ...REASON])).code).toBe(6)
    expect((await cli.support.run(['sip', 'unban', 'the door', ...REASON])).code).toBe(6)
    expect(await audit()).toHaveLength(1)
  }, 60_000)
})
