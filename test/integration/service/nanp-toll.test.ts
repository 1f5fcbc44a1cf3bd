/**
 * Toll fraud through the North American Numbering Plan, through the real Kamailio (sipp as the lines), on SQLite
 * and on PostgreSQL: a +1 number is not "domestic" for being +1. A line that switched international calling off
 * is refused a call to Jamaica (+1 876) or the Dominican Republic (+1 809) by the SIP server itself
 * ("international-off"), while a US call still gets past the gate (to the carrier step: the test stack has no
 * carrier route, so "404 No route to this number") and a call to another Dialtone line is answered. A premium-rate
 * 900 number is refused for every line, whatever its switches ("premium-rate"), and a forwarding rule to either
 * that was stored before the service refused such targets is not followed. A call to Jamaica that a line
 * with international calling on made is rated as international and charged to the balance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rateCalls } from '../../../src/server/billing/usage'
import { NANP_INTERNATIONAL_RATES } from '../../../src/server/billing/rates'
import { CARDS, key } from '../../support/billing-flows'
import type { KamailioInstance } from '../../support/kamailio'
import { type KamailioService, type SipCreds, startKamailioService } from '../../support/kamailio-service'
import { refusedCallScenario } from '../../support/policy-calls'
import { freePort } from '../../support/postgres'
import { BACKENDS, type TestService } from '../../support/service'
import { type TrialLine, answeredCall, trialLine } from '../../support/service-flows'
import {
  UAS_ANSWER_SCENARIO,
  callScenario,
  reply,
  replyTag,
  sippRegisterAt,
  sippServer
} from '../../support/sipp'

const JAMAICA = '18765550123'
const DOMINICAN = '8095550123'
const PREMIUM = ['19005550123', '9005550123']
const US = '12128675309'

/** The call got past the services gate to the carrier step: no carrier route in the test stack, so 404. */
const REACHED_CARRIER_STEP = callScenario('unknown')
  .replace(
    reply(2, 404),
    `${replyTag(2, 404)}>
    <action>
      <ereg regexp="No route to this number" search_in="msg" check_it="true" assign_to="why"/>
    </action>
  </recv>`
  )
  .replace('</scenario>', '  <Reference variables="why"/>\n</scenario>')
if (!REACHED_CARRIER_STEP.includes('No route'))
  throw new Error('the 404 step was not found in the call scenario')

describe.each(BACKENDS)('NANP toll fraud at Kamailio on %s', (backend) => {
  let stack: KamailioService
  let svc: TestService
  let kam: KamailioInstance
  let line: TrialLine
  let creds: SipCreds
  const log = () => `${stack.failures.join('\n')}\n${kam.output().slice(-1500)}`
  const call = (c: SipCreds, scenario: string, to: string) => stack.call(c, scenario, to)
  const international = (l: TrialLine, enabled: boolean) =>
    svc.api(
      'POST',
      `/v1/lines/${l.lineId}/services/international-calling`,
      { enabled, idempotencyKey: key() },
      l.token
    )

  beforeAll(async () => {
    stack = await startKamailioService(backend)
    ;({ svc, kam } = stack)
    line = await trialLine(svc)
    creds = await stack.creds(line)
    // Credit for a minute abroad (resources/kamailio/credit.cfg refuses a call abroad without it).
    const top = await svc.api(
      'POST',
      '/v1/balance/top-up',
      { idempotencyKey: key(), amountMinor: 500, payment: { card: CARDS.ok } },
      line.token
    )
    expect(top.status).toBe(200)
  }, 60_000)
  afterAll(() => stack?.close())

  it('refuses other NANP countries once international calling is off, while US calls go on', async () => {
    const offRefusal = refusedCallScenario(403, 'international-off')
    // On: Jamaica is an international call like any other, past the gate to the carrier step.
    expect(await call(creds, REACHED_CARRIER_STEP, JAMAICA), log()).toBe(0)
    const off = await international(line, false)
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    for (const to of [JAMAICA, DOMINICAN, `1${DOMINICAN}`])
      expect(await call(creds, offRefusal, to), `${to}\n${log()}`).toBe(0)
    // The US (and a territory, Puerto Rico) is not international: the gate lets it through.
    for (const to of [US, '17875550123', '18005550123'])
      expect(await call(creds, REACHED_CARRIER_STEP, to), `${to}\n${log()}`).toBe(0)
    // A call to another Dialtone line (a US number) is answered.
    const callee = await trialLine(svc)
    const calleeCreds = await stack.creds(callee)
    const port = await freePort()
    expect(await sippRegisterAt(kam.sipPort, calleeCreds, port)).toBe(0)
    const uas = sippServer(UAS_ANSWER_SCENARIO, port, 1, 20)
    await uas.ready
    const caller = await call(creds, callScenario('answered'), calleeCreds.username)
    expect([caller, await uas.exited], log()).toEqual([0, 0])
  })

  it('refuses premium-rate 900 numbers for every line, whatever its switches', async () => {
    const premiumRefusal = refusedCallScenario(403, 'premium-rate')
    const other = await trialLine(svc)
    const otherCreds = await stack.creds(other)
    expect((await international(other, true)).status).toBe(200)
    for (const c of [creds, otherCreds])
      for (const to of PREMIUM) expect(await call(c, premiumRefusal, to), `${to}\n${log()}`).toBe(0)
  })

  it('does not follow a forwarding rule to 900 or Jamaica stored before the service refused them: the line rings', async () => {
    for (const target of ['19005550123', JAMAICA]) {
      const callee = await trialLine(svc)
      const calleeCreds = await stack.creds(callee)
      await svc.service.ctx.db
        .insertInto('line_forwarding')
        .values({
          line_id: callee.lineId,
          always_to: `+${target}`,
          busy_to: null,
          no_answer_to: null,
          no_answer_rings: 4,
          unavailable_to: null,
          updated_at: new Date().toISOString()
        })
        .execute()
      const port = await freePort()
      expect(await sippRegisterAt(kam.sipPort, calleeCreds, port)).toBe(0)
      const uas = sippServer(UAS_ANSWER_SCENARIO, port, 1, 20)
      await uas.ready
      const caller = await call(creds, callScenario('answered'), calleeCreds.username)
      expect([caller, await uas.exited], log()).toEqual([0, 0])
      expect(kam.output()).toContain('not forwarded: its target is premium rate or another NANP country')
      // The target, someone's private number, is not in the log.
      expect(kam.output()).not.toContain(target)
    }
  })

  it('rates a call to Jamaica as international, charged to the balance', async () => {
    const payer = await trialLine(svc)
    const { username } = await stack.creds(payer)
    const top = await svc.api(
      'POST',
      '/v1/balance/top-up',
      { idempotencyKey: key(), amountMinor: 500, payment: { card: CARDS.ok } },
      payer.token
    )
    expect(top.status).toBe(200)
    // Kamailio's accounting of an answered 125 s call (3 started minutes), as the import writes it.
    const at = new Date(svc.clock.now().getTime() - 3600_000)
    await answeredCall(svc, { srcUser: username, dst: JAMAICA, at, seconds: 125 })
    expect(await rateCalls(svc.service.ctx)).toBeGreaterThanOrEqual(1)
    const rate = NANP_INTERNATIONAL_RATES.JM ?? 0
    expect(rate).toBeGreaterThan(0)
    const balance = await svc.api<{ balance: { amountMinor: number } }>(
      'GET',
      '/v1/balance',
      undefined,
      payer.token
    )
    expect(balance.body.balance.amountMinor).toBe(500 - 3 * rate)
    const day = (d: Date) => d.toISOString().slice(0, 10)
    const calls = await svc.api<{ calls: { destination: string; zone: string; billedMinutes: number }[] }>(
      'GET',
      `/v1/usage/calls?from=${day(at)}&to=${day(svc.clock.now())}`,
      undefined,
      payer.token
    )
    expect(calls.body.calls.map((c) => [c.destination, c.zone, c.billedMinutes])).toEqual([
      [`+${JAMAICA}`, 'international', 3]
    ])
  })
})
