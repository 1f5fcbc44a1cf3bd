/**
 * Kamailio follows a connected service switched in the app (issue 25 part 1), on SQLite and on PostgreSQL
 * (Kamailio as its least-privilege role, reading the view `kamailio_services`): with international calling on, a
 * call to a number abroad is not refused for it; switched off through the service's API, the next call is
 * refused by the SIP server itself with the reason the app words ("international-off"), while a North American
 * number still gets past it. With caller ID withheld by default switched on, a call to another Dialtone line
 * reaches it from "Anonymous" (the SIP server added `Privacy: id`; sipp as the called line checks the From).
 * With voicemail switched off, a call to the line while it is not registered gets no deposit (404), where it
 * reached the voicemail server (sipp) before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CARDS, key } from '../../support/billing-flows'
import type { KamailioInstance } from '../../support/kamailio'
import { type KamailioService, type SipCreds, startKamailioService } from '../../support/kamailio-service'
import { refusedCallScenario } from '../../support/policy-calls'
import { BACKENDS, type TestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'
import { freePort } from '../../support/postgres'
import { UAS_ANSWER_SCENARIO, callScenario, sippRegisterAt, sippServer } from '../../support/sipp'

const ABROAD = '442071838750'
const NANP = '12128675309'

describe.each(BACKENDS)('connected services at Kamailio on %s', (backend) => {
  let stack: KamailioService
  let svc: TestService
  let kam: KamailioInstance
  let line: TrialLine
  let creds: SipCreds
  let vmPort = 0
  /** sipp as the line: 0 when Kamailio refused the call with 403 and the Reason "international-off". */
  const refusedAbroad = (to: string): Promise<number> =>
    stack.call(creds, refusedCallScenario(403, 'international-off'), to)

  beforeAll(async () => {
    vmPort = await freePort()
    stack = await startKamailioService(backend, { voicemailUri: `sip:127.0.0.1:${vmPort}` })
    ;({ svc, kam } = stack)
    line = await trialLine(svc)
    creds = await stack.creds(line)
  }, 60_000)
  afterAll(() => stack?.close())

  it('refuses calls abroad once the line switches international calling off, not before', async () => {
    expect(await refusedAbroad(ABROAD)).not.toBe(0)
    const off = await svc.api(
      'POST',
      `/v1/lines/${line.lineId}/services/international-calling`,
      { enabled: false, idempotencyKey: key() },
      line.token
    )
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect(await refusedAbroad(ABROAD), `${stack.failures.join('\n')}\n${kam.output().slice(-1500)}`).toBe(0)
    expect(await refusedAbroad(NANP)).not.toBe(0)
  })

  it('withholds the caller ID of every call once the line switches it on by default', async () => {
    const callee = await trialLine(svc)
    const calleeCreds = await stack.creds(callee)
    const topUp = await svc.api(
      'POST',
      '/v1/balance/top-up',
      { idempotencyKey: key(), amountMinor: 500, payment: { card: CARDS.ok } },
      line.token
    )
    expect(topUp.status).toBe(200)
    const on = await svc.api(
      'POST',
      `/v1/lines/${line.lineId}/services/caller-id-withheld`,
      { enabled: true, idempotencyKey: key() },
      line.token
    )
    expect(on.status, JSON.stringify(on.body)).toBe(200)
    const port = await freePort()
    expect(await sippRegisterAt(kam.sipPort, calleeCreds, port)).toBe(0)
    // The called line answers only a call whose From is anonymous (sipp fails the call otherwise).
    const uas = sippServer(
      UAS_ANSWER_SCENARIO.replace(
        '<recv request="INVITE" rrs="true"/>',
        `<recv request="INVITE" rrs="true">
    <action>
      <ereg regexp="[Aa]nonymous" search_in="hdr" header="From:" check_it="true" assign_to="anon"/>
    </action>
  </recv>`
      ).replace('</scenario>', '  <Reference variables="anon"/>\n</scenario>'),
      port,
      1,
      20
    )
    await uas.ready
    const caller = await stack.call(creds, callScenario('answered'), calleeCreds.username)
    expect([caller, await uas.exited], kam.output().slice(-1500)).toEqual([0, 0])
  })

  it('takes no voicemail deposit for a line that switched voicemail off', async () => {
    const callee = await trialLine(svc)
    const box = (await stack.creds(callee)).username
    const call = (kind: 'answered' | 'unknown') => stack.call(creds, callScenario(kind), box)
    const voicemail = sippServer(UAS_ANSWER_SCENARIO, vmPort, 1, 20)
    await voicemail.ready
    expect([await call('answered'), await voicemail.exited], kam.output().slice(-1500)).toEqual([0, 0])
    const off = await svc.api(
      'POST',
      `/v1/lines/${callee.lineId}/services/voicemail`,
      { enabled: false, idempotencyKey: key() },
      callee.token
    )
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect(await call('unknown'), kam.output().slice(-1500)).toBe(0)
  })
})
