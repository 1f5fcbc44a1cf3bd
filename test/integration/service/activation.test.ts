/**
 * Start Trial to a line in service, on SQLite and on PostgreSQL: the code by email, its ten minutes, its
 * attempt limit and single use, once per device, E911 before service, and the SIP row Kamailio will read; the used
 * request keeps no copy of the password's hash or the billing address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { digestHashes } from '../../../src/server/provisioning/sip-accounts'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { ACCEPT, MODEL, US_ADDRESS, latestSecret, startTrial, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('activation on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  it('takes a trial from the code in the email to a line in service with SIP credentials', async () => {
    const { r, req } = await startTrial(svc)
    expect(r.status).toBe(202)
    const lookup = await svc.api<{ trialAvailable: boolean; state: string }>('POST', '/v1/devices/lookup', {
      serial: req.serial,
      model: MODEL
    })
    expect(lookup.body).toMatchObject({ state: 'unregistered', trialAvailable: true })
    const code = await latestSecret(svc, req.email, 'trial-code')
    const a = await svc.api<{ lineId: string; session: { token: string } }>('POST', '/v1/trials/activate', {
      trialId: r.body.trialId,
      code
    })
    expect(a.status).toBe(201)
    // The used request keeps no copy of the password's hash nor of the billing address: the account has its own.
    const used = await svc.service.ctx.db
      .selectFrom('trial_requests')
      .select(['password_hash', 'billing_address', 'consumed_at', 'email', 'serial'])
      .where('id', '=', r.body.trialId)
      .executeTakeFirstOrThrow()
    expect(used).toMatchObject({
      password_hash: '',
      billing_address: '',
      email: req.email,
      serial: req.serial
    })
    expect(used.consumed_at).not.toBeNull()
    const token = a.body.session.token
    const pending = await svc.api<{ status: string; missing: string[]; number: string }>(
      'GET',
      `/v1/lines/${a.body.lineId}`,
      undefined,
      token
    )
    expect(pending.body).toMatchObject({ status: 'pending', missing: ['e911'] })
    expect(pending.body.number).toMatch(/^\+1201555\d{4}$/)
    // No SIP credentials (and no Kamailio row) before the 911 address.
    expect((await svc.api('GET', `/v1/lines/${a.body.lineId}/sip`, undefined, token)).status).toBe(409)
    expect(await svc.service.ctx.db.selectFrom('subscriber').selectAll().execute()).toHaveLength(0)

    const e = await svc.api<{ status: string }>(
      'PUT',
      `/v1/lines/${a.body.lineId}/e911`,
      { address: US_ADDRESS },
      token
    )
    expect(e.body.status).toBe('in_service')
    const sip = await svc.api<{ username: string; password: string; domain: string }>(
      'GET',
      `/v1/lines/${a.body.lineId}/sip`,
      undefined,
      token
    )
    expect(sip.status).toBe(200)
    expect(sip.headers.get('cache-control')).toBe('no-store')
    expect(sip.body.username).toBe(pending.body.number.slice(1))
    const rows = await svc.service.ctx.db.selectFrom('subscriber').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      username: sip.body.username,
      domain: 'dialtone.test',
      password: '',
      ...digestHashes(sip.body.username, 'dialtone.test', sip.body.password)
    })
    // The plain password is nowhere in the database but sealed in sip_accounts.
    const sealed = await svc.service.ctx.db
      .selectFrom('sip_accounts')
      .select('password_enc')
      .executeTakeFirstOrThrow()
    expect(sealed.password_enc).not.toContain(sip.body.password)
    // The acceptances were recorded with their versions.
    const acks = await svc.service.ctx.db
      .selectFrom('acknowledgements')
      .selectAll()
      .where(
        'device_id',
        '=',
        (
          await svc.service.ctx.db
            .selectFrom('devices')
            .select('id')
            .where('serial', '=', req.serial)
            .executeTakeFirstOrThrow()
        ).id
      )
      .execute()
    expect(acks.map((x) => [x.kind, x.version]).sort()).toEqual([
      ['e911', '2026-11'],
      ['terms', '2026-11']
    ])
  })

  it('gives a device one trial only, ever', async () => {
    const line = await trialLine(svc)
    const again = await startTrial(svc, { serial: line.serial, email: 'other@example.test' })
    expect(again.r.status).toBe(409)
    expect(again.r.body).toMatchObject({ error: { code: 'conflict', reason: 'trial-used' } })
  })

  it('refuses a code after ten minutes, after five wrong tries, and a second time', async () => {
    const { r, req } = await startTrial(svc)
    const code = await latestSecret(svc, req.email, 'trial-code')
    svc.clock.advance(10 * 60_000 + 1)
    const late = await svc.api('POST', '/v1/trials/activate', { trialId: r.body.trialId, code })
    expect(late.body).toMatchObject({ error: { code: 'gone', reason: 'code-expired' } })

    const second = await startTrial(svc)
    const good = await latestSecret(svc, second.req.email, 'trial-code')
    const wrong = good === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) {
      const w = await svc.api('POST', '/v1/trials/activate', { trialId: second.r.body.trialId, code: wrong })
      expect(w.body).toMatchObject({ error: { reason: 'code-wrong' } })
    }
    const locked = await svc.api('POST', '/v1/trials/activate', {
      trialId: second.r.body.trialId,
      code: good
    })
    expect(locked.body).toMatchObject({ error: { code: 'gone', reason: 'code-attempts' } })

    const third = await startTrial(svc)
    const c3 = await latestSecret(svc, third.req.email, 'trial-code')
    expect(
      (await svc.api('POST', '/v1/trials/activate', { trialId: third.r.body.trialId, code: c3 })).status
    ).toBe(201)
    const reuse = await svc.api('POST', '/v1/trials/activate', { trialId: third.r.body.trialId, code: c3 })
    expect(reuse.body).toMatchObject({ error: { code: 'gone', reason: 'code-used' } })
  })

  it('names the session an activation opens as the app asked, and refuses a hostile name, changing nothing', async () => {
    const { r, req } = await startTrial(svc)
    const code = await latestSecret(svc, req.email, 'trial-code')
    for (const client of ['Dialtone\u0007 (linux)', 'x'.repeat(81), '\u202eDialtone', '   ']) {
      const bad = await svc.api('POST', '/v1/trials/activate', { trialId: r.body.trialId, code, client })
      expect(bad.status, JSON.stringify(client)).toBe(400)
    }
    // The refusals took nothing: the code still activates, once, and the session carries the name.
    const a = await svc.api<{ session: { token: string } }>('POST', '/v1/trials/activate', {
      trialId: r.body.trialId,
      code,
      client: 'Dialtone 1.4.0 (linux)'
    })
    expect(a.status).toBe(201)
    const list = await svc.api<{ sessions: { client: string | null; current: boolean }[] }>(
      'GET',
      '/v1/auth/sessions',
      undefined,
      a.body.session.token
    )
    expect(list.body.sessions.find((s) => s.current)?.client).toBe('Dialtone 1.4.0 (linux)')
  })

  it('lets exactly one of two simultaneous activations of one code win', async () => {
    for (let round = 0; round < 3; round++) {
      const { r, req } = await startTrial(svc)
      const code = await latestSecret(svc, req.email, 'trial-code')
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => svc.api('POST', '/v1/trials/activate', { trialId: r.body.trialId, code }))
      )
      expect(results.map((x) => x.status).sort()).toEqual([201, 410, 410, 410])
      const accounts = await svc.service.ctx.db
        .selectFrom('account_emails')
        .select('account_id')
        .where('address', '=', req.email)
        .execute()
      expect(accounts).toHaveLength(1)
      const device = await svc.service.ctx.db
        .selectFrom('devices')
        .selectAll()
        .where('serial', '=', req.serial)
        .executeTakeFirstOrThrow()
      const lines = await svc.service.ctx.db
        .selectFrom('lines')
        .select('id')
        .where('device_id', '=', device.id)
        .execute()
      expect(lines).toHaveLength(1)
    }
  })

  it('refuses an outdated terms or 911 acknowledgement, and a weak password, changing nothing', async () => {
    const before = await svc.service.ctx.db
      .selectFrom('trial_requests')
      .select(svc.service.ctx.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const outdated = await startTrial(svc, { acceptances: { ...ACCEPT, e911DisclosureVersion: '2025-01' } })
    expect(outdated.r.body).toMatchObject({ error: { code: 'invalid-input', reason: 'e911-outdated' } })
    const weak = await startTrial(svc, { password: 'password123' })
    expect(weak.r.body).toMatchObject({ error: { code: 'invalid-input', reason: 'weak-password' } })
    const after = await svc.service.ctx.db
      .selectFrom('trial_requests')
      .select(svc.service.ctx.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('refuses a weak password the same way whether the email has an account or not', async () => {
    const owner = await trialLine(svc)
    const local = owner.email.split('@')[0] ?? ''
    // A password that breaks a rule for this address (it holds the address's name), for an email with an account
    // and one without: the same refusal, so the answer says nothing of who has an account.
    const weak = `${local}-2024`
    const known = await startTrial(svc, { email: owner.email, password: weak })
    const unknown = await startTrial(svc, { email: `nobody-${local}@example.test`, password: weak })
    expect(known.r.status).toBe(400)
    expect(known.r.body).toEqual(unknown.r.body)
    expect(known.r.body).toMatchObject({ error: { reason: 'weak-password' } })
    // With the account's own password the trial joins the account, as before.
    expect((await startTrial(svc, { email: owner.email, password: owner.password })).r.status).toBe(202)
    // Nor does the answer tell whether a guess is the account's password: a guess given as the name is refused
    // as personal whether or not it is the password.
    for (const guess of [owner.password, 'not the password at all 42']) {
      const r = (await startTrial(svc, { email: owner.email, password: guess, name: guess })).r
      expect([guess, r.status, (r.body as { error?: { reason?: string } }).error?.reason]).toEqual([
        guess,
        400,
        'weak-password'
      ])
    }
    // Six trials from this one address: the tests after this one start from a fresh hour's budget.
    await svc.service.ctx.db.deleteFrom('rate_limits').execute()
  })

  it('keeps a line out of service until its 911 address matches the number’s country', async () => {
    const line = await trialLine(svc, { e911: false })
    const canadian = {
      street: '24 Sussex Dr',
      city: 'Ottawa',
      region: 'ON',
      postalCode: 'K1M 1M4',
      country: 'CA'
    }
    const mismatch = await svc.api('PUT', `/v1/lines/${line.lineId}/e911`, { address: canadian }, line.token)
    expect(mismatch.body).toMatchObject({ error: { code: 'invalid-input', reason: 'country-mismatch' } })
    const badZip = await svc.api<{ error: { issues: { path: string }[] } }>(
      'PUT',
      `/v1/lines/${line.lineId}/e911`,
      { address: { ...US_ADDRESS, postalCode: '7030' } },
      line.token
    )
    expect(badZip.status).toBe(400)
    expect(badZip.body.error.issues.map((i) => i.path)).toContain('address.postalCode')
    const poBox = await svc.api(
      'PUT',
      `/v1/lines/${line.lineId}/e911`,
      { address: { ...US_ADDRESS, street: 'PO Box 12' } },
      line.token
    )
    expect(poBox.status).toBe(400)
    const status = await svc.api<{ status: string; e911: null }>(
      'GET',
      `/v1/lines/${line.lineId}`,
      undefined,
      line.token
    )
    expect(status.body).toMatchObject({ status: 'pending', e911: null })

    // A Canadian number takes the Canadian address; the history keeps every address.
    const ca = await trialLine(svc, { e911: false, areaCode: '416' })
    expect(
      (
        await svc.api<{ status: string }>(
          'PUT',
          `/v1/lines/${ca.lineId}/e911`,
          { address: { ...canadian, postalCode: 'k1m1m4' } },
          ca.token
        )
      ).body.status
    ).toBe('in_service')
    await svc.api(
      'PUT',
      `/v1/lines/${ca.lineId}/e911`,
      { address: { ...canadian, street: '1 Wellington St' } },
      ca.token
    )
    const history = await svc.api<{
      current: { address: { street: string; postalCode: string } }
      history: unknown[]
    }>('GET', `/v1/lines/${ca.lineId}/e911`, undefined, ca.token)
    expect(history.body.current.address.street).toBe('1 Wellington St')
    expect(history.body.history).toHaveLength(2)
  })

  it('lapses a line when its coverage runs out: credentials and Kamailio row kept, marked lapsed (911 only)', async () => {
    const line = await trialLine(svc)
    svc.clock.advance(31 * 24 * 60 * 60_000)
    await svc.service.runJobs()
    // A month idle also ended the session (30 days sliding): sign in again.
    expect((await svc.api('GET', `/v1/lines/${line.lineId}`, undefined, line.token)).status).toBe(401)
    const signIn = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: line.password
    })
    line.token = signIn.body.token
    const status = await svc.api<{ status: string; missing: string[] }>(
      'GET',
      `/v1/lines/${line.lineId}`,
      undefined,
      line.token
    )
    expect(status.body).toMatchObject({ status: 'lapsed', missing: ['coverage'] })
    // The line keeps its SIP credentials so it can still call 911 and 933; Kamailio refuses everything else.
    const sip = await svc.api<{ username: string }>(
      'GET',
      `/v1/lines/${line.lineId}/sip`,
      undefined,
      line.token
    )
    expect(sip.status).toBe(200)
    const number = (
      await svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, line.token)
    ).body.number
    const row = await svc.service.ctx.db
      .selectFrom('subscriber')
      .selectAll()
      .where('username', '=', number.slice(1))
      .executeTakeFirst()
    expect(sip.body.username).toBe(number.slice(1))
    expect(row).toMatchObject({ line_state: 'lapsed', calls_held: 0 })
    expect(row?.e911_pidf).toContain('<ca:A3>Hoboken</ca:A3>')
  })

  it('compares at most five codes for a trial, however many are sent at once', async () => {
    // A fresh hour of the per-address budgets (this is the file's last test: nothing after it minds the clock).
    svc.clock.advance(60 * 60_000)
    const { r, req } = await startTrial(svc)
    const good = await latestSecret(svc, req.email, 'trial-code')
    const wrongs = Array.from({ length: 12 }, (_, i) =>
      String((Number(good) + 1 + i) % 1_000_000).padStart(6, '0')
    )
    const answers = await Promise.all(
      wrongs.map((code) =>
        svc.api<{ error: { reason: string } }>('POST', '/v1/trials/activate', {
          trialId: r.body.trialId,
          code
        })
      )
    )
    const compared = answers.filter((a) => a.body.error.reason === 'code-wrong')
    expect(compared.length).toBeLessThanOrEqual(5)
    expect(answers.every((a) => ['code-wrong', 'code-attempts'].includes(a.body.error.reason))).toBe(true)
    const locked = await svc.api('POST', '/v1/trials/activate', { trialId: r.body.trialId, code: good })
    expect(locked.body).toMatchObject({ error: { code: 'gone', reason: 'code-attempts' } })
  })
})
