/**
 * The public enrolment routes against a flood (security review 34, M4), on SQLite and PostgreSQL: enrolment
 * attempts are counted per address and overall before the token is looked up, past the budget the answer is 429
 * with Retry-After and nothing is audited; a made-up or expired token is a stranger's request and writes no row of
 * the append-only ops audit, while failures on a real pending enrolment (a wrong code) are still kept. A real
 * enrolment works from another address while one address is held, and while a flood of made-up tokens from many
 * addresses holds the overall budget (a real token is counted by its enrolment's own budget). Client addresses come
 * through X-Forwarded-For from a trusted proxy (127.0.0.1 here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LIMITS } from '../../../src/server/http/rate-limit'
import { ENROLMENT_MS, createOperator } from '../../../src/server/ops/operators'
import { totpCode } from '../../../src/server/ops/totp'
import { secretOf } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'

const PASSWORD = 'correct horse battery staple'

describe.each(BACKENDS)('ops enrolment limits on %s', (backend) => {
  let svc: TestService
  let n = 0

  beforeAll(async () => {
    svc = await startTestService(backend, {}, { DIALTONE_TRUSTED_PROXIES: '127.0.0.1' })
  }, 60_000)
  afterAll(() => svc.close())

  const from = (ip: string) => ({ 'x-forwarded-for': ip })
  const auditRows = async () =>
    (await svc.service.ctx.db.selectFrom('ops_audit').selectAll().execute()).length
  const enrol = (token: string, ip: string) =>
    svc.api<{ otpauthUri: string; error?: { reason: string } }>(
      'POST',
      '/ops/v1/auth/enrol',
      { token, password: PASSWORD },
      undefined,
      from(ip)
    )
  const confirm = (token: string, code: string, ip: string) =>
    svc.api<{ operator?: { status: string }; error?: { reason: string } }>(
      'POST',
      '/ops/v1/auth/enrol/confirm',
      { token, code },
      undefined,
      from(ip)
    )
  const pending = async () =>
    createOperator(
      svc.service.ctx,
      { email: `new-${n++}@ops.dialtone.test`, name: 'New Operator', role: 'support' },
      null
    )
  /** A well-formed token no operator has. */
  const madeUp = (i: number) => `dte_${String(i).padStart(43, 'x')}`
  /** A new window for every budget (the per-address one is 10 minutes). */
  const nextWindow = () => svc.clock.advance(LIMITS.opsEnrolPerIp.windowMs + 60_000)

  it('made-up tokens from one address: 410 up to the budget, then 429 with Retry-After; none is audited', async () => {
    const before = await auditRows()
    const tries = 2 * LIMITS.opsEnrolPerIp.max
    const answers = []
    for (let i = 0; i < tries; i++)
      answers.push(
        i % 2 === 0
          ? await enrol(madeUp(i), '203.0.113.10')
          : await confirm(madeUp(i), '123456', '203.0.113.10')
      )
    expect(answers.slice(0, LIMITS.opsEnrolPerIp.max).map((a) => [a.status, a.body.error?.reason])).toEqual(
      Array(LIMITS.opsEnrolPerIp.max).fill([410, 'enrolment-invalid'])
    )
    const limited = answers.slice(LIMITS.opsEnrolPerIp.max)
    expect(limited.map((a) => [a.status, a.body.error?.reason])).toEqual(
      Array(tries - LIMITS.opsEnrolPerIp.max).fill([429, 'rate-limited'])
    )
    for (const a of limited) expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0)
    // Not one row for the whole flood: the made-up tokens are strangers', the rest were limited.
    expect(await auditRows()).toBe(before)

    // The address is held even with a real token, before it is looked up ...
    const op = await pending()
    expect((await enrol(op.enrolmentToken, '203.0.113.10')).status).toBe(429)
    // ... while a new operator elsewhere enrols, both steps, as usual (and that is audited).
    const started = await enrol(op.enrolmentToken, '198.51.100.20')
    expect(started.status).toBe(200)
    const code = totpCode(secretOf(started.body.otpauthUri), svc.clock.now())
    const done = await confirm(op.enrolmentToken, code, '198.51.100.20')
    expect([done.status, done.body.operator?.status]).toEqual([200, 'active'])
    const rows = await svc.service.ctx.db
      .selectFrom('ops_audit')
      .select(['action', 'target', 'outcome'])
      .where('target', '=', op.operator.id)
      .orderBy('at')
      .execute()
    expect(rows).toEqual([
      { action: 'enrol', target: op.operator.id, outcome: 'ok' },
      { action: 'enrol-confirm', target: op.operator.id, outcome: 'ok' }
    ])
    expect(await auditRows()).toBe(before + 2)
    nextWindow()
  }, 60_000)

  it('a wrong code, or a used token, on a real enrolment is audited; an expired token is not', async () => {
    const op = await pending()
    const ip = '198.51.100.30'
    const started = await enrol(op.enrolmentToken, ip)
    expect(started.status).toBe(200)
    const secret = secretOf(started.body.otpauthUri)
    const now = svc.clock.now().getTime()
    const near = [-30_000, 0, 30_000].map((d) => totpCode(secret, new Date(now + d)))
    const wrongCode = ['000000', '111111', '222222', '333333'].find((c) => !near.includes(c)) ?? ''
    const before = await auditRows()
    const wrong = await confirm(op.enrolmentToken, wrongCode, ip)
    expect([wrong.status, wrong.body.error?.reason]).toEqual([400, 'code-wrong'])
    const failed = await svc.service.ctx.db
      .selectFrom('ops_audit')
      .select(['action', 'outcome', 'error', 'ip'])
      .where('action', '=', 'enrol-confirm')
      .where('outcome', '=', 'failed')
      .where('ip', '=', ip)
      .execute()
    expect(failed).toEqual([
      { action: 'enrol-confirm', outcome: 'failed', error: expect.stringMatching(/^code-wrong: /), ip }
    ])
    expect(await auditRows()).toBe(before + 1)
    const ok = await confirm(op.enrolmentToken, totpCode(secret, svc.clock.now()), ip)
    expect(ok.status).toBe(200)
    expect(await auditRows()).toBe(before + 2)
    // The token again, now used: refused as an unknown one is, but someone has a real token, so it is kept.
    const used = await enrol(op.enrolmentToken, ip)
    expect([used.status, used.body.error?.reason]).toEqual([410, 'enrolment-invalid'])
    expect(await auditRows()).toBe(before + 3)

    // A token past its 24 hours is as good as none: refused, and no row.
    const late = await pending()
    svc.clock.advance(ENROLMENT_MS + 60_000)
    const expired = await enrol(late.enrolmentToken, ip)
    expect([expired.status, expired.body.error?.reason]).toEqual([410, 'enrolment-invalid'])
    const expiredConfirm = await confirm(late.enrolmentToken, '123456', ip)
    expect([expiredConfirm.status, expiredConfirm.body.error?.reason]).toEqual([410, 'enrolment-invalid'])
    expect(await auditRows()).toBe(before + 3)
    nextWindow()
  }, 60_000)

  it('made-up tokens from many addresses: bounded overall (many-requests), with no audit row', async () => {
    const before = await auditRows()
    const statuses: number[] = []
    let last: Awaited<ReturnType<typeof enrol>> | undefined
    for (let i = 0; i <= LIMITS.opsEnrolGlobal.max; i++) {
      last = await enrol(madeUp(i), `10.${Math.floor(i / 250)}.${i % 250}.1`)
      statuses.push(last.status)
    }
    expect(statuses).toEqual([...Array<number>(LIMITS.opsEnrolGlobal.max).fill(410), 429])
    expect(last?.body.error?.reason).toBe('many-requests')
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await auditRows()).toBe(before)

    // While the flood holds the overall budget full, a new operator's real token still enrols, both steps, from
    // anywhere (attacker review 37, L3: it was 429 many-requests): its enrolment has a budget of its own.
    const op = await pending()
    const started = await enrol(op.enrolmentToken, '198.51.100.77')
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const code = totpCode(secretOf(started.body.otpauthUri), svc.clock.now())
    const done = await confirm(op.enrolmentToken, code, '198.51.100.77')
    expect([done.status, done.body.operator?.status]).toEqual([200, 'active'])
    expect((await enrol(madeUp(9999), '198.51.100.78')).status).toBe(429)
    nextWindow()
  }, 120_000)

  it('bounds the tries of a real token by its own budget, from however many addresses', async () => {
    const op = await pending()
    const statuses: number[] = []
    for (let i = 0; i <= LIMITS.opsEnrolPerEnrolment.max; i++)
      statuses.push((await confirm(op.enrolmentToken, '000000', `10.9.${i}.1`)).status)
    // Not enrolled yet (no password chosen): each try refused, then the token's own budget is spent.
    expect(statuses.slice(0, LIMITS.opsEnrolPerEnrolment.max).every((s) => s !== 429)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    nextWindow()
  }, 60_000)
})
