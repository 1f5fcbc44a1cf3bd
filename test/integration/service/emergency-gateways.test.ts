/**
 * 911's emergency gateways and a PSAP's callback (issue 22) with the real Kamailio and rtpengine reading the
 * service's database, on SQLite and PostgreSQL. Two simulated PSAPs (sipp) are the emergency gateways of the
 * routing table (route set 911), probed with OPTIONS like carriers: when the first answers 503, or takes probes
 * but never answers the INVITE, the 911 call reaches the second with the line's location and callback number.
 * A PSAP's call-back trunk (route set 911, direction `in`) calls back a line that has lapsed, and its call rings
 * the line, even from a number the line's account blocked; it rings a line suspended by support too. The same
 * number from a carrier is refused at the server (603). No EMERGENCY_URI: 911 goes only where the table says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reloadCarrierRoutes, removeGateway, saveGateway } from '../../../src/server/carriers/routes'
import { suspendLine } from '../../../src/server/ops/accounts/suspend'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { carrierCall } from '../../support/carriers'
import { parseEmergencyInvite } from '../../support/emergency-invite'
import type { KamailioInstance } from '../../support/kamailio'
import { type KamailioService, startKamailioService } from '../../support/kamailio-service'
import { until } from '../../support/phone-app'
import { freePort } from '../../support/postgres'
import { type Psap, startPsap } from '../../support/psap'
import { type Rtpengine, startRtpengine } from '../../support/rtpengine'
import { BACKENDS, type TestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'
import { UAS_ANSWER_SCENARIO, callScenario, sippRegisterAt, sippServer } from '../../support/sipp'

const DAY = 24 * 60 * 60_000
/** A carrier's caller the line's account blocks, and the number the PSAP calls back from. */
const PEST = '12125550142'

describe.each(BACKENDS)('911 through the emergency gateways, and a PSAP calling back, on %s', (backend) => {
  let stack: KamailioService
  let svc: TestService
  let kam: KamailioInstance
  let rtpe: Rtpengine
  const port: Record<'first' | 'second' | 'callback' | 'carrier' | 'line' | 'suspended', number> = {
    first: 0,
    second: 0,
    callback: 0,
    carrier: 0,
    line: 0,
    suspended: 0
  }
  let second: Psap
  let failures: string[] = []
  /** The lapsed line of the first call-back test: the suspended line's "always" target in the second. */
  let lapsedUser = ''

  const creds = (line: { lineId: string; token: string }) => stack.creds(line)
  /** sipp as the line calling `to`; resolves with its exit code (0: the call was answered and ended). */
  const call = (c: { username: string; password: string }, to: string): Promise<number> =>
    stack.call(c, callScenario('answered'), to)
  /** Waits until dispatcher's probing has the gateway on `p` up (flags A: active, P: probing). */
  const upAt = (p: number) =>
    until(
      () => kam.rpc<unknown>('dispatcher.list').catch(() => null),
      (l) => JSON.stringify(l).includes(`${p};transport=udp","FLAGS":"AP`),
      15_000
    )
  /** The first PSAP as told, up in dispatcher's eyes, then a located 911 call that must reach the second. */
  async function failover(answer: '503' | 'mute') {
    const first = startPsap({ port: port.first, calls: 0, located: true, answer })
    try {
      const line = await trialLine(svc)
      const c = await creds(line)
      // Up in dispatcher's eyes right before the call, not only before the line was made: on a loaded machine a
      // probe between the two once found the new sipp not listening yet and the call went straight to the second.
      await upAt(port.first)
      const seen = second.invites().length
      const code = await call(c, '911')
      expect(code, `${failures.join('\n')}\n${kam.output().slice(-2000)}`).toBe(0)
      // sipp writes its message log when it likes: the first PSAP's INVITE may reach the file a moment after the
      // second answered (a CI rehearsal read 0 once, the call already through the second).
      expect(
        await until(
          async () => first.invites().length,
          (n) => n > 0,
          5000
        ).catch(() => 0)
      ).toBeGreaterThan(0)
      const reached = second.invites().slice(seen)
      expect(reached).toHaveLength(1)
      const inv = parseEmergencyInvite(reached[0] ?? '')
      expect(inv.requestUri).toMatch(/^sip:911@/)
      expect(inv.callback).toBe(`+${c.username}`)
      expect(inv.location?.civic).toMatchObject({ A3: 'Hoboken', RD: 'Washington St', PC: '07030' })
      expect(second.errors()).toBe('')
    } finally {
      first.kill()
    }
  }

  beforeAll(async () => {
    for (const k of Object.keys(port) as (keyof typeof port)[]) port[k] = await freePort()
    rtpe = await startRtpengine()
    stack = await startKamailioService(backend, {
      rtpengineSock: rtpe.sock,
      async beforeKamailio(started) {
        const db = started.service.database.db
        const now = new Date()
        const gw = (
          name: string,
          routeSet: number,
          p: number,
          priority: number,
          direction: 'out' | 'in' | 'both'
        ) => saveGateway(db, { name, routeSet, host: '127.0.0.1', port: p, priority, direction }, now)
        await gw('psap-first', 911, port.first, 20, 'out')
        await gw('psap-second', 911, port.second, 10, 'both')
        // The PSAP's call-back trunk: it may call in, never takes 911 (direction in).
        await gw('psap-callback', 911, port.callback, 0, 'in')
        await gw('carrier-in', 1, port.carrier, 0, 'in')
        second = startPsap({ port: port.second, calls: 0, located: true })
      }
    })
    ;({ svc, kam, failures } = stack)
    await upAt(port.second)
  }, 60_000)
  afterAll(async () => {
    second?.kill()
    await stack?.close()
    await rtpe?.stop()
  })

  it('passes 911 to the next emergency gateway when the first answers 503', async () => {
    await failover('503')
  }, 30_000)

  it('passes 911 to the next emergency gateway when the first never answers, and marks it down', async () => {
    await failover('mute')
    expect(kam.output()).toMatch(
      /emergency gateway sip:127\.0\.0\.1:\d+;transport=udp did not answer 911 call/
    )
  }, 30_000)

  it('takes routing changes made one right after another: each reload is in force at once', async () => {
    // An operator's changes come seconds apart (`dialtone-ops carriers …`, each followed by a reload); Kamailio's
    // default limit of one dispatcher or permissions reload in 5 s answered "Ongoing reload" to the second, and
    // the change waited for the next restart. Route set 7 is used by no prefix: the calls above are untouched.
    const db = svc.service.database.db
    const spare = { name: 'reload-check', routeSet: 7, host: '127.0.0.1', port: port.carrier, priority: 1 }
    const listed = async () => JSON.stringify(await kam.rpc<unknown>('dispatcher.list'))
    await saveGateway(db, { ...spare, direction: 'out' }, new Date())
    await reloadCarrierRoutes(kam.rpcUrl)
    expect(await listed()).toContain('"SET":{"ID":7')
    await saveGateway(db, { ...spare, direction: 'out', priority: 2 }, new Date())
    await reloadCarrierRoutes(kam.rpcUrl)
    await removeGateway(db, spare.name)
    await reloadCarrierRoutes(kam.rpcUrl)
    expect(await listed()).not.toContain('"SET":{"ID":7')
  }, 30_000)

  it('rings a lapsed line when the PSAP calls back, even from a number its account blocked', async () => {
    const line = await trialLine(svc)
    const c = await creds(line)
    lapsedUser = c.username
    const block = await svc.api('PUT', '/v1/blocked', { number: `+${PEST}`, label: 'pest' }, line.token)
    expect(block.status, JSON.stringify(block.body)).toBe(200)
    svc.clock.advance(31 * DAY)
    await svc.service.runJobs()
    const status = await svc.service.ctx.db
      .selectFrom('lines')
      .select('status')
      .where('id', '=', line.lineId)
      .executeTakeFirstOrThrow()
    expect(status.status).toBe('lapsed')
    // The line's phone (sipp, registered with the credentials a lapsed line keeps) answers one call.
    expect(await sippRegisterAt(kam.sipPort, c, port.line)).toBe(0)
    const phone = sippServer(UAS_ANSWER_SCENARIO, port.line, 1, 25)
    await phone.ready

    // That number from a carrier: refused by the server (the account blocked it), the phone never rings.
    const carrier = await carrierCall(kam.sipPort, port.carrier, { from: PEST, to: c.username, expect: 603 })
    expect(await carrier.exited, carrier.output()).toBe(0)

    // The PSAP calls back from its call-back trunk's address: the same number rings the lapsed line.
    const callback = await carrierCall(kam.sipPort, port.callback, {
      from: PEST,
      to: c.username,
      expect: 'ok',
      holdMs: 500
    })
    expect(await callback.exited, `${callback.output()}\n${kam.output().slice(-2000)}`).toBe(0)
    expect(await phone.exited).toBe(0)
    await until(
      () => rtpe.calls(),
      (calls) => calls.length === 0,
      5000
    )
  }, 40_000)

  it('rings a line suspended by support when the PSAP calls back, whatever its forwarding', async () => {
    const line = await trialLine(svc)
    const c = await creds(line)
    const ctx = svc.service.ctx
    const { operator } = await bootstrapAdmin(ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
    await suspendLine(ctx, line.lineId, operator.id, 'chargeback fraud report #4411')
    const state = await ctx.db
      .selectFrom('subscriber')
      .select('line_state')
      .where('username', '=', c.username)
      .executeTakeFirstOrThrow()
    expect(state.line_state).toBe('suspended')
    expect(await sippRegisterAt(kam.sipPort, c, port.suspended)).toBe(0)
    // The line forwards every call to another Dialtone line; the PSAP's call-back still rings this one.
    expect(lapsedUser).not.toBe('')
    await ctx.db
      .insertInto('line_forwarding')
      .values({
        line_id: line.lineId,
        always_to: `+${lapsedUser}`,
        busy_to: null,
        no_answer_to: null,
        no_answer_rings: 4,
        unavailable_to: null,
        updated_at: new Date().toISOString()
      })
      .execute()
    const phone = sippServer(UAS_ANSWER_SCENARIO, port.suspended, 1, 25)
    await phone.ready
    const callback = await carrierCall(kam.sipPort, port.callback, {
      from: PEST,
      to: c.username,
      expect: 'ok',
      holdMs: 500
    })
    expect(await callback.exited, `${callback.output()}\n${kam.output().slice(-2000)}`).toBe(0)
    expect(await phone.exited).toBe(0)
  }, 40_000)
})
