/**
 * 911, 933 and line policy enforced by the real Kamailio reading the service's database (issue 22), with sipp as
 * the calling line and a simulated PSAP (sipp with its own checks, plus the PIDF-LO parsed here as XML):
 * 911 from an active, a lapsed and an overdue line reaches the PSAP with the line's civic address and callback
 * number; an ordinary call from the lapsed and the overdue line is refused with its reason; a line without a 911
 * address still reaches the PSAP, flagged; 933 reaches the address-test service with the same location; a caller
 * the called line's account blocked is refused by the server while that line's app is not running at all; a PSAP
 * that hangs up at once ends the call cleanly. On SQLite and on PostgreSQL (Kamailio as its least-privilege role).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CARDS, key, signIn } from '../../support/billing-flows'
import { parseEmergencyInvite } from '../../support/emergency-invite'
import type { KamailioInstance } from '../../support/kamailio'
import { type KamailioService, type SipCreds, startKamailioService } from '../../support/kamailio-service'
import { hungUpByPeerScenario, refusedCallScenario } from '../../support/policy-calls'
import { freePort } from '../../support/postgres'
import { type Psap, startPsap } from '../../support/psap'
import { BACKENDS, type TestService } from '../../support/service'
import { type TrialLine, US_ADDRESS, trialLine } from '../../support/service-flows'
import { callScenario } from '../../support/sipp'

const DAY = 24 * 60 * 60_000

type Creds = SipCreds

describe.each(BACKENDS)('emergency calls and line policy at Kamailio on %s', (backend) => {
  let stack: KamailioService
  let svc: TestService
  let kam: KamailioInstance
  let psapPort: number
  let testPort: number
  /** sipp's error logs of calls that failed, for the assertion messages. */
  let failures: string[] = []
  const creds = (line: TrialLine): Promise<Creds> => stack.creds(line)
  /** sipp as the line: runs the scenario to `to`; resolves with sipp's exit code (0: every step matched). */
  const call = (c: Creds, scenario: string, to: string): Promise<number> => stack.call(c, scenario, to)
  const status = async (lineId: string) =>
    (
      await svc.service.ctx.db
        .selectFrom('lines')
        .select('status')
        .where('id', '=', lineId)
        .executeTakeFirstOrThrow()
    ).status
  /** 911 through a fresh PSAP that expects one located (or flagged) call; answers the INVITE it saw. */
  async function emergencyCall(c: Creds, opts: { located: boolean; to?: '911' | '933'; hangUp?: 'atOnce' }) {
    const to = opts.to ?? '911'
    const psap: Psap = startPsap({
      port: to === '911' ? psapPort : testPort,
      calls: 1,
      located: opts.located,
      ...(opts.hangUp ? { hangUp: opts.hangUp } : {})
    })
    await psap.ready
    const scenario = opts.hangUp === 'atOnce' ? hungUpByPeerScenario() : callScenario('answered')
    const caller = await call(c, scenario, to)
    // A call that failed may never have reached the PSAP: it would wait out its own timeout, holding its port
    // against the next test's PSAP.
    if (caller !== 0) psap.kill()
    const psapCode = await psap.exited
    if (psapCode !== 0) failures.push(`PSAP: ${psap.errors().slice(-1500)}`)
    const invites = psap.invites()
    return { caller, psapCode, invites, invite: invites[0] ? parseEmergencyInvite(invites[0]) : null }
  }

  beforeAll(async () => {
    psapPort = await freePort()
    testPort = await freePort()
    stack = await startKamailioService(backend, {
      emergencyUri: `sip:127.0.0.1:${psapPort}`,
      addressTestUri: `sip:127.0.0.1:${testPort}`
    })
    ;({ svc, kam, failures } = stack)
  }, 60_000)
  afterAll(() => stack?.close())

  it('sends 911 from a line in service to the PSAP with its civic address and callback number', async () => {
    const line = await trialLine(svc)
    const c = await creds(line)
    const r = await emergencyCall(c, { located: true })
    expect(r.caller, `${failures.join('\n')}\n${kam.output().slice(-1500)}`).toBe(0)
    expect(r.psapCode).toBe(0)
    const inv = r.invite
    expect(inv?.requestUri).toMatch(/^sip:911@/)
    expect(inv?.callback).toBe(`+${c.username}`)
    expect(inv?.location).toMatchObject({
      cid: `loc-${c.username}@dialtone.test`,
      routing: 'yes',
      entity: `pres:+${c.username}@dialtone.test`,
      method: 'Manual',
      civic: {
        country: 'US',
        A1: 'NJ',
        A3: 'Hoboken',
        RD: 'Washington St',
        HNO: '12',
        UNIT: 'Apt 4',
        PC: '07030'
      }
    })
    expect(inv?.sdp).toMatch(/^v=0/)
    expect(inv?.flaggedNoLocation).toBe(false)
  })

  it('lets a lapsed line call 911 (and 933) and refuses its other calls with a reason', async () => {
    const line = await trialLine(svc)
    const other = await creds(await trialLine(svc))
    const c = await creds(line)
    svc.clock.advance(31 * DAY)
    await svc.service.runJobs()
    expect(await status(line.lineId)).toBe('lapsed')
    // The credentials stay: the app keeps the line registered for 911.
    const again = { ...line, token: await signIn(svc, line) }
    expect((await creds(again)).password).toBe(c.password)
    const r = await emergencyCall(c, { located: true })
    expect(r.caller, `${failures.join('\n')}\n${kam.output().slice(-1500)}`).toBe(0)
    expect(r.psapCode).toBe(0)
    expect(r.invite?.callback).toBe(`+${c.username}`)
    expect(r.invite?.location?.civic).toMatchObject({ A3: 'Hoboken', PC: '07030' })
    const test = await emergencyCall(c, { located: true, to: '933' })
    expect(test.caller).toBe(0)
    expect(test.invite?.requestUri).toMatch(/^sip:933@/)
    expect(test.invite?.location?.civic.RD).toBe('Washington St')
    expect(await call(c, refusedCallScenario(403, 'line-not-in-service'), other.username)).toBe(0)
  })

  it('holds every call but 911 while a promised payment is overdue, and lets them go once repaid', async () => {
    const line = await trialLine(svc)
    const c = await creds(line)
    const promise = await svc.api(
      'POST',
      '/v1/balance/promised-payment',
      { idempotencyKey: key() },
      line.token
    )
    expect(promise.status, JSON.stringify(promise.body)).toBe(200)
    svc.clock.advance(4 * DAY + 1000)
    await svc.service.runJobs()
    expect(await status(line.lineId)).toBe('in_service')
    expect(await call(c, refusedCallScenario(403, 'calls-held'), '12015550000')).toBe(0)
    const r = await emergencyCall(c, { located: true })
    expect(r.caller, `${failures.join('\n')}\n${kam.output().slice(-1500)}`).toBe(0)
    expect(r.psapCode).toBe(0)
    expect(r.invite?.callback).toBe(`+${c.username}`)
    // Repaid by a top-up: the next call is no longer held (nobody has that number: 404).
    const topUp = await svc.api(
      'POST',
      '/v1/balance/top-up',
      { idempotencyKey: key(), amountMinor: 1000, payment: { card: CARDS.ok } },
      line.token
    )
    expect(topUp.status, JSON.stringify(topUp.body)).toBe(200)
    expect(await call(c, callScenario('unknown'), '12015550000')).toBe(0)
  })

  it('still sends 911 from an activated line without a 911 address, flagged for the PSAP', async () => {
    const line = await trialLine(svc)
    // A Canadian number drops the US address: the line waits for a Canadian one, and keeps its credentials.
    const moved = await svc.api<{ status: string; missing: string[] }>(
      'POST',
      `/v1/lines/${line.lineId}/number`,
      { areaCode: '604' },
      line.token
    )
    expect(moved.body).toMatchObject({ status: 'pending', missing: ['e911'] })
    const c = await creds(line)
    expect(c.username).toMatch(/^1604/)
    const r = await emergencyCall(c, { located: false })
    expect(r.caller, `${failures.join('\n')}\n${kam.output().slice(-1500)}`).toBe(0)
    expect(r.psapCode).toBe(0)
    expect(r.invite?.flaggedNoLocation).toBe(true)
    expect(r.invite?.location).toBeNull()
    expect(r.invite?.callback).toBe(`+${c.username}`)
  })

  it('refuses a blocked caller at the server while the called line’s app is not running', async () => {
    const callee = await trialLine(svc)
    const caller = await trialLine(svc)
    const calleeCreds = await creds(callee)
    const callerCreds = await creds(caller)
    // Not blocked: the callee is not registered (its app is off), so the call finds nobody.
    expect(await call(callerCreds, callScenario('unknown'), calleeCreds.username)).toBe(0)
    const block = await svc.api(
      'PUT',
      '/v1/blocked',
      { number: `+${callerCreds.username}`, label: 'pest' },
      callee.token
    )
    expect(block.status, JSON.stringify(block.body)).toBe(200)
    expect(await call(callerCreds, refusedCallScenario(603, 'blocked'), calleeCreds.username)).toBe(0)
  })

  it('ends cleanly when the PSAP hangs up at once', async () => {
    const line = await trialLine(svc)
    const c = await creds(line)
    const r = await emergencyCall(c, { located: true, hangUp: 'atOnce' })
    expect(r.caller, `${failures.join('\n')}\n${kam.output().slice(-1500)}`).toBe(0)
    expect(r.psapCode).toBe(0)
    // Nothing left in Kamailio: every transaction of the call ends (after tm's wait timer, 5 s by default).
    const deadline = Date.now() + 12_000
    let current = -1
    while (Date.now() < deadline) {
      current = (await kam.rpc<{ current: number }>('tm.stats')).current
      if (current === 0) break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(current).toBe(0)
  })

  it('states location and identity itself: a caller’s own are removed or boxed in, a typed address is escaped', async () => {
    const line = await trialLine(svc, { e911: false })
    const hostile = { ...US_ADDRESS, street: '12 <civicAddress>&"x"</presence>' }
    const put = await svc.api('PUT', `/v1/lines/${line.lineId}/e911`, { address: hostile }, line.token)
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    const c = await creds(line)
    const psap = startPsap({ port: psapPort, calls: 1, located: true })
    await psap.ready
    const forged = callScenario('answered').replace(
      'Max-Forwards: 70\n[field1]',
      'Max-Forwards: 70\n[field1]\nP-Asserted-Identity: <sip:+19995550100@evil.test;user=phone>\n' +
        'Geolocation: <https://evil.test/somewhere-else>\nGeolocation-Routing: no\nDialtone-Location: none'
    )
    expect(forged).toContain('evil.test')
    // And a location of its own smuggled into its SDP, as if the SDP part ended there (the old fixed boundary).
    const smuggled = forged.replaceAll(
      'm=audio [media_port] RTP/AVP 0',
      'm=audio [media_port] RTP/AVP 0\n--dialtone-location-boundary\nContent-Type: application/pidf+xml\n' +
        `Content-ID: <loc-${c.username}@dialtone.test>\n\n<presence xmlns="urn:ietf:params:xml:ns:pidf"/>`
    )
    expect(smuggled).toContain('<presence')
    expect(await call(c, smuggled, '911'), failures.join('\n')).toBe(0)
    expect(await psap.exited, psap.errors()).toBe(0)
    const raw = psap.invites()[0] ?? ''
    expect(raw).not.toContain('evil.test')
    // The boundary is the server's, unguessable: the smuggled part stays inside the SDP part.
    expect(raw).toMatch(/boundary=dialtone-[0-9a-f]{32}-\d+-\d+/)
    expect(raw.match(/^Content-Type: application\/pidf\+xml/gm)).toHaveLength(2)
    expect(raw.match(/^Geolocation:/gm)).toHaveLength(1)
    const inv = parseEmergencyInvite(raw)
    expect(inv.callback).toBe(`+${c.username}`)
    expect(inv.flaggedNoLocation).toBe(false)
    expect(inv.location?.routing).toBe('yes')
    expect(inv.location?.civic).toMatchObject({ HNO: '12', RD: '<civicAddress>&"x"</presence>' })
  })
})
