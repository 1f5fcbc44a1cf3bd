/**
 * Call forwarding rules through the service's API (issue 23), on SQLite and PostgreSQL: the owner reads and sets
 * each rule; the line's own number, a loop among Dialtone lines (directly or through a chain, any condition), a
 * number that is not North American, garbage and a ring count out of range are refused with a reason and change
 * nothing; another account's line is "not found"; and the view Kamailio reads shows the rules as digits, with
 * whether the line may forward out (and, on PostgreSQL, Kamailio's least-privilege role may read that view).
 */
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kamailioRole } from '../../support/kamailio'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, lineNumber, trialLine } from '../../support/service-flows'

interface Rules {
  always: string | null
  busy: string | null
  noAnswer: string | null
  noAnswerRings: number
  unavailable: string | null
  lineNumber: string | null
}
interface Refusal {
  error: {
    code: string
    reason: string
    params?: Record<string, unknown>
    issues?: { path: string; code: string }[]
  }
}

/** A number that is no Dialtone line. */
const OUTSIDE = '+12128675309'

describe.each(BACKENDS)('call forwarding rules on %s', (backend) => {
  let svc: TestService
  let a: TrialLine
  let b: TrialLine
  let c: TrialLine
  const num: Record<string, string> = {}
  beforeAll(async () => {
    svc = await startTestService(backend)
    a = await trialLine(svc)
    b = await trialLine(svc)
    c = await trialLine(svc)
    for (const [k, l] of Object.entries({ a, b, c })) num[k] = await lineNumber(svc, l.token, l.lineId)
  }, 60_000)
  afterAll(() => svc.close())

  const get = (l: TrialLine, lineId = l.lineId) =>
    svc.api<Rules & Refusal>('GET', `/v1/lines/${lineId}/forwarding`, undefined, l.token)
  const set = (l: TrialLine, body: Record<string, unknown>, lineId = l.lineId) =>
    svc.api<Rules & Refusal>('PATCH', `/v1/lines/${lineId}/forwarding`, body, l.token)
  const clear = async (l: TrialLine) =>
    expect((await set(l, { always: null, busy: null, noAnswer: null, unavailable: null })).status).toBe(200)

  it('starts with every rule off and four rings, then sets and clears rules one by one', async () => {
    const r0 = await get(a)
    expect(r0.status).toBe(200)
    expect(r0.body).toMatchObject({
      always: null,
      busy: null,
      noAnswer: null,
      noAnswerRings: 4,
      unavailable: null,
      lineNumber: num.a
    })
    const r1 = await set(a, { busy: '(212) 867-5309', noAnswer: OUTSIDE, noAnswerRings: 3 })
    expect(r1.status, JSON.stringify(r1.body)).toBe(200)
    expect(r1.body).toMatchObject({ busy: OUTSIDE, noAnswer: OUTSIDE, noAnswerRings: 3, always: null })
    const r2 = await set(a, { always: num.b ?? '' })
    expect(r2.body).toMatchObject({ always: num.b, busy: OUTSIDE, noAnswerRings: 3 })
    expect((await get(a)).body).toMatchObject({ always: num.b, busy: OUTSIDE })
    const r3 = await set(a, { always: null, busy: null })
    expect(r3.body).toMatchObject({ always: null, busy: null, noAnswer: OUTSIDE })
    await clear(a)
  })

  it('shows the rules to Kamailio as digits with the no-answer time and whether the line may forward out', async () => {
    await set(b, { unavailable: OUTSIDE, noAnswer: num.c ?? '', noAnswerRings: 2 })
    const username = (num.b ?? '').slice(1)
    const row = await svc.service.ctx.db
      .selectFrom('kamailio_forwarding')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      always_to: '',
      busy_to: '',
      no_answer_to: (num.c ?? '').slice(1),
      unavailable_to: OUTSIDE.slice(1),
      may_forward_out: 1
    })
    expect(Number(row.no_answer_s)).toBe(12)
    await svc.service.ctx.db
      .updateTable('subscriber')
      .set({ calls_held: 1 })
      .where('username', '=', username)
      .execute()
    const held = await svc.service.ctx.db
      .selectFrom('kamailio_forwarding')
      .select('may_forward_out')
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
    expect(Number(held.may_forward_out)).toBe(0)
    await svc.service.ctx.db
      .updateTable('subscriber')
      .set({ calls_held: 0 })
      .where('username', '=', username)
      .execute()
    if (backend === 'postgres') {
      const url = kamailioRole(svc.service.ctx.config.databaseUrl)
      const out = execFileSync('psql', [
        url,
        '-At',
        '-c',
        `select no_answer_s from kamailio_forwarding where username = '${username}'`
      ])
      expect(out.toString().trim()).toBe('12')
      expect(() =>
        execFileSync('psql', [url, '-At', '-c', 'select count(*) from line_forwarding'], { stdio: 'pipe' })
      ).toThrow(/permission denied/)
    }
    await clear(b)
  })

  it('refuses the line’s own number, changing nothing', async () => {
    await set(a, { busy: OUTSIDE })
    const r = await set(a, { always: num.a ?? '', busy: null })
    expect(r.status).toBe(400)
    expect(r.body.error.reason).toBe('forward-to-self')
    expect(r.body.error.issues?.[0]).toMatchObject({ path: 'always', code: 'forward-to-self' })
    expect((await get(a)).body).toMatchObject({ always: null, busy: OUTSIDE })
    await clear(a)
  })

  it('refuses a loop among Dialtone lines, directly or through a chain and across conditions', async () => {
    expect((await set(a, { always: num.b ?? '' })).status).toBe(200)
    const direct = await set(b, { busy: num.a ?? '' })
    expect(direct.status).toBe(400)
    expect(direct.body.error).toMatchObject({ reason: 'forward-loop', params: { number: num.a } })
    expect(direct.body.error.issues?.[0]?.path).toBe('busy')
    expect((await set(b, { noAnswer: num.c ?? '' })).status).toBe(200)
    const chain = await set(c, { unavailable: num.a ?? '' })
    expect(chain.status).toBe(400)
    expect(chain.body.error.reason).toBe('forward-loop')
    expect((await get(c)).body.unavailable).toBeNull()
    // Outside numbers never count as a loop (Kamailio's Diversion bound covers a loop through a carrier).
    expect((await set(c, { unavailable: OUTSIDE })).status).toBe(200)
    for (const l of [a, b, c]) await clear(l)
  })

  it('refuses what is not a North American number, garbage and rings out of range, changing nothing', async () => {
    await set(a, { busy: OUTSIDE, noAnswerRings: 5 })
    const cases: [Record<string, unknown>, string][] = [
      [{ always: 'call me maybe' }, 'invalid-input'],
      [{ always: '+44 20 7123 4567' }, 'forward-not-nanp'],
      // Too few digits is said as incomplete, not as a number abroad.
      [{ always: '911' }, 'forward-incomplete'],
      [{ always: '555' }, 'forward-incomplete'],
      [{ always: '212555' }, 'forward-incomplete'],
      [{ always: '+1 212 555' }, 'forward-incomplete'],
      [{ always: '+1 212 555 0100 99' }, 'forward-not-nanp'],
      // Another NANP country is abroad (Jamaica, the Dominican Republic); premium rate is never a target.
      [{ always: '+1 876 555 0123' }, 'forward-not-nanp'],
      [{ busy: '1 809 555 0123' }, 'forward-not-nanp'],
      [{ always: '+1 900 555 0123' }, 'forward-premium'],
      [{ noAnswer: '900-555-0123' }, 'forward-premium'],
      [{ noAnswerRings: 0 }, 'invalid-input'],
      [{ noAnswerRings: 11 }, 'invalid-input'],
      [{ noAnswerRings: 2.5 }, 'invalid-input'],
      [{ always: OUTSIDE, extra: 1 }, 'invalid-input']
    ]
    for (const [body, reason] of cases) {
      const r = await set(a, body)
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.body.error.reason, JSON.stringify(body)).toBe(reason)
    }
    expect((await get(a)).body).toMatchObject({
      always: null,
      busy: OUTSIDE,
      noAnswer: null,
      noAnswerRings: 5
    })
    // The field that broke the rule is named, and a territory of the US is a target like any US number.
    const premium = await set(a, { noAnswer: '+1 900 555 0123' })
    expect(premium.body.error.issues?.[0]).toMatchObject({ path: 'noAnswer', code: 'forward-premium' })
    expect((await set(a, { noAnswer: '+1 787 555 0123' })).status).toBe(200)
    await clear(a)
  })

  it('never shows or changes another account’s line, and needs a session', async () => {
    await set(b, { busy: OUTSIDE })
    expect((await get(a, b.lineId)).status).toBe(404)
    const r = await set(a, { always: OUTSIDE }, b.lineId)
    expect(r.status).toBe(404)
    expect(r.body.error.reason).toBe('line-not-found')
    expect((await get(b)).body).toMatchObject({ always: null, busy: OUTSIDE })
    const anon = await svc.api('GET', `/v1/lines/${b.lineId}/forwarding`)
    expect(anon.status).toBe(401)
    await clear(b)
  })
})
