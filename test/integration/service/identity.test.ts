/**
 * Identity on SQLite and PostgreSQL: sign-in by email or number, sessions, forgot/reset, password change,
 * sign-up by phone, emails and their notifications, rate limits, and answers that do not reveal who exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { latestSecret, mailbox, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('identity on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  it('signs in with the email or the line number, lists and revokes sessions', async () => {
    const line = await trialLine(svc)
    const byEmail = await svc.api<{ token: string; sessionId: string }>('POST', '/v1/auth/sign-in', {
      identifier: line.email.toUpperCase(),
      password: line.password,
      client: 'test'
    })
    expect(byEmail.status).toBe(200)
    const number = (
      await svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, line.token)
    ).body.number
    const byNumber = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: `(${number.slice(2, 5)}) ${number.slice(5, 8)}-${number.slice(8)}`,
      password: line.password
    })
    expect(byNumber.status).toBe(200)
    const sessions = await svc.api<{ sessions: { id: string; current: boolean }[] }>(
      'GET',
      '/v1/auth/sessions',
      undefined,
      byEmail.body.token
    )
    expect(sessions.body.sessions.length).toBeGreaterThanOrEqual(3)
    expect(sessions.body.sessions.filter((s) => s.current)).toHaveLength(1)
    // Revoke the number session from the email session; it stops working at once.
    const other = sessions.body.sessions.find((s) => !s.current && s.id !== byEmail.body.sessionId)
    expect(
      (await svc.api('DELETE', `/v1/auth/sessions/${other?.id}`, undefined, byEmail.body.token)).status
    ).toBe(200)
    const signOut = await svc.api('POST', '/v1/auth/sign-out', undefined, byEmail.body.token)
    expect(signOut.status).toBe(200)
    expect((await svc.api('GET', '/v1/account', undefined, byEmail.body.token)).status).toBe(401)
  })

  it('answers a wrong password and an unknown account identically', async () => {
    const line = await trialLine(svc)
    const wrong = await svc.api('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: 'not the password'
    })
    const unknown = await svc.api('POST', '/v1/auth/sign-in', {
      identifier: 'nobody-here@example.test',
      password: 'not the password'
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
    const forgotKnown = await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    const forgotUnknown = await svc.api('POST', '/v1/auth/password/forgot', {
      identifier: 'nobody-here@example.test'
    })
    expect(forgotKnown.status).toBe(202)
    expect([forgotUnknown.status, forgotUnknown.body]).toEqual([forgotKnown.status, forgotKnown.body])
  })

  it('resets a password once with the emailed code, ends every session, and tells every address', async () => {
    const line = await trialLine(svc)
    expect((await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })).status).toBe(202)
    const token = await latestSecret(svc, line.email, 'password-reset')
    expect(token).toMatch(/^dtr_/)
    const weak = await svc.api('POST', '/v1/auth/password/reset', { token, password: '12345678' })
    expect(weak.body).toMatchObject({ error: { reason: 'weak-password' } })
    // The refused attempt changed nothing: the token still works.
    const ok = await svc.api('POST', '/v1/auth/password/reset', { token, password: 'a brand new passphrase' })
    expect(ok.status).toBe(200)
    expect((await svc.api('GET', '/v1/account', undefined, line.token)).status).toBe(401)
    const reuse = await svc.api('POST', '/v1/auth/password/reset', {
      token,
      password: 'another new passphrase'
    })
    expect(reuse.body).toMatchObject({ error: { code: 'gone', reason: 'token-invalid' } })
    expect(
      (await svc.api('POST', '/v1/auth/sign-in', { identifier: line.email, password: line.password })).status
    ).toBe(401)
    expect(
      (
        await svc.api('POST', '/v1/auth/sign-in', {
          identifier: line.email,
          password: 'a brand new passphrase'
        })
      ).status
    ).toBe(200)
    expect((await mailbox(svc, line.email)).map((m) => m.purpose)).toContain('password-changed')
  })

  it('expires a reset code after 30 minutes', async () => {
    const line = await trialLine(svc)
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    const token = await latestSecret(svc, line.email, 'password-reset')
    svc.clock.advance(30 * 60_000 + 1)
    const late = await svc.api('POST', '/v1/auth/password/reset', {
      token,
      password: 'a brand new passphrase'
    })
    expect(late.body).toMatchObject({ error: { code: 'gone' } })
  })

  it('changes a password with the current one, keeping this session and ending the others', async () => {
    const line = await trialLine(svc)
    const other = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: line.password
    })
    const bad = await svc.api(
      'POST',
      '/v1/auth/password/change',
      { currentPassword: 'wrong one', newPassword: 'fresh passphrase 1' },
      line.token
    )
    expect(bad.body).toMatchObject({ error: { reason: 'wrong-password' } })
    const ok = await svc.api(
      'POST',
      '/v1/auth/password/change',
      { currentPassword: line.password, newPassword: 'fresh passphrase 1' },
      line.token
    )
    expect(ok.status).toBe(200)
    expect((await svc.api('GET', '/v1/account', undefined, line.token)).status).toBe(200)
    expect((await svc.api('GET', '/v1/account', undefined, other.body.token)).status).toBe(401)
    const told = async () =>
      (await mailbox(svc, line.email)).filter((m) => m.purpose === 'password-changed').map((m) => m.body)
    expect(await told()).toEqual([expect.stringContaining('your other sessions were signed out')])
    // Changed again, keeping the other sessions: the email says so instead of claiming they were signed out.
    const third = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: 'fresh passphrase 1'
    })
    const kept = await svc.api(
      'POST',
      '/v1/auth/password/change',
      { currentPassword: 'fresh passphrase 1', newPassword: 'fresh passphrase 2', signOutOthers: false },
      line.token
    )
    expect(kept.status, JSON.stringify(kept.body)).toBe(200)
    expect((await svc.api('GET', '/v1/account', undefined, third.body.token)).status).toBe(200)
    expect(await told()).toContainEqual(expect.stringContaining('your other sessions stay signed in'))
  })

  it('signs up by phone with a one-time code', async () => {
    const phone = '+1 (212) 555-0199'
    const start = await svc.api('POST', '/v1/signup/phone', { phone })
    expect(start.status).toBe(202)
    const code = await latestSecret(svc, '+12125550199', 'phone-signup')
    const done = await svc.api<{ token: string }>('POST', '/v1/signup/phone/verify', {
      phone,
      code,
      name: 'Grace Hopper',
      email: 'grace@example.test',
      password: 'cobol forever 59'
    })
    expect(done.status).toBe(201)
    const profile = await svc.api<{ phones: { e164: string; verified: boolean }[] }>(
      'GET',
      '/v1/account',
      undefined,
      done.body.token
    )
    expect(profile.body.phones).toEqual([{ e164: '+12125550199', verified: true }])
    expect(
      (await svc.api('POST', '/v1/auth/sign-in', { identifier: '2125550199', password: 'cobol forever 59' }))
        .status
    ).toBe(200)
    // A second sign-up with the taken number gets the same answer; the SMS tells the owner instead of a code.
    svc.clock.advance(1000)
    const again = await svc.api('POST', '/v1/signup/phone', { phone })
    expect([again.status, again.body]).toEqual([start.status, start.body])
    const [newest] = await mailbox(svc, '+12125550199')
    expect(newest?.body).toMatch(/already has an account/)
    expect(newest?.body).not.toMatch(/\d{6}/)
  })

  it('sends no sign-up code abroad, and at most 30 a day to one area code', async () => {
    // 02:00 on a day after the tests before: the day's windows start at midnight UTC, the hour's at 02:00.
    const day = new Date(svc.clock.now().getTime() + 2 * 24 * 60 * 60_000)
    svc.clock.set(`${day.toISOString().slice(0, 10)}T02:00:00.000Z`)
    const sent = async (phone: string) => (await mailbox(svc, phone)).length
    // Jamaica (+1 876) and a premium-rate 900 number: NANP, not the plan's countries. Refused, nothing sent.
    for (const phone of ['+1 876 555 0123', '+1 900 555 0123']) {
      const r = await svc.api<{ error: { reason: string } }>('POST', '/v1/signup/phone', { phone })
      expect([r.status, r.body.error.reason]).toEqual([400, 'phone-not-included'])
    }
    expect(await sent('+18765550123')).toBe(0)
    // Many numbers of one area code over the day (each hour's 15 within the address's own budget): the 31st gets no
    // code that day.
    const answers: {
      status: number
      body: { error?: { reason: string; params?: { retryAfterS?: number } } }
    }[] = []
    for (let i = 0; i < 31; i++) {
      if (i > 0 && i % 15 === 0) svc.clock.advance(61 * 60_000)
      answers.push(await svc.api('POST', '/v1/signup/phone', { phone: `+1 312 555 ${String(1000 + i)}` }))
    }
    expect(answers.filter((a) => a.status === 202)).toHaveLength(30)
    // The person asking the 31st made one attempt: the app says the area code's codes are paused, not "too many
    // attempts", and until when (the day's window ends at midnight UTC: here 02:00 + 2 h 02 min, so 19 h 58 min).
    expect(answers.at(-1)?.status).toBe(429)
    expect(answers.at(-1)?.body.error?.reason).toBe('sms-area-paused')
    expect(answers.at(-1)?.body.error?.params?.retryAfterS).toBe((19 * 60 + 58) * 60)
    expect(await sent('+13125551030')).toBe(0)
    // Another area code is not held back.
    expect((await svc.api('POST', '/v1/signup/phone', { phone: '+1 415 555 0100' })).status).toBe(202)
  })

  it('counts every wrong sign-up code: after five, even the right one is refused', async () => {
    // A fresh window of the per-address code budget.
    svc.clock.advance(10 * 60_000)
    const phone = '+12125550177'
    expect((await svc.api('POST', '/v1/signup/phone', { phone })).status).toBe(202)
    const code = await latestSecret(svc, phone, 'phone-signup')
    const wrong = code === '000000' ? '111111' : '000000'
    const finish = (c: string) =>
      svc.api<{ error: { reason: string; params?: { left?: number } } }>('POST', '/v1/signup/phone/verify', {
        phone,
        code: c,
        name: 'Mallory Smith',
        email: 'mallory@example.test',
        password: 'cobalt river 77'
      })
    const left: (number | undefined)[] = []
    for (let i = 0; i < 5; i++) left.push((await finish(wrong)).body.error.params?.left)
    expect(left).toEqual([4, 3, 2, 1, 0])
    expect((await finish(code)).body).toMatchObject({ error: { code: 'gone', reason: 'code-attempts' } })
  })

  it('manages emails: the original stays, a secondary is confirmed and preferred, every change is told to all', async () => {
    const line = await trialLine(svc)
    const added = await svc.api<{
      emails: { id: string; address: string; role: string; verified: boolean }[]
    }>('POST', '/v1/account/emails', { address: 'Second@Example.test' }, line.token)
    expect(added.status).toBe(201)
    const second = added.body.emails.find((e) => e.address === 'second@example.test')
    expect(second).toMatchObject({ role: 'secondary', verified: false })
    const original = added.body.emails.find((e) => e.role === 'original')
    const early = await svc.api('POST', `/v1/account/emails/${second?.id}/preferred`, undefined, line.token)
    expect(early.body).toMatchObject({ error: { reason: 'not-verified' } })
    const code = await latestSecret(svc, 'second@example.test', 'email-verify')
    const verified = await svc.api('POST', `/v1/account/emails/${second?.id}/verify`, { code }, line.token)
    expect(verified.status).toBe(200)
    const preferred = await svc.api<{ emails: { address: string; preferred: boolean }[] }>(
      'POST',
      `/v1/account/emails/${second?.id}/preferred`,
      undefined,
      line.token
    )
    expect(preferred.body.emails.find((e) => e.preferred)?.address).toBe('second@example.test')
    const removeOriginal = await svc.api(
      'DELETE',
      `/v1/account/emails/${original?.id}`,
      undefined,
      line.token
    )
    expect(removeOriginal.body).toMatchObject({ error: { code: 'forbidden', reason: 'original-email' } })
    // Both confirmed addresses heard about the preferred change.
    for (const to of [line.email, 'second@example.test'])
      expect(
        (await mailbox(svc, to)).some(
          (m) => m.purpose === 'email-changed' && m.body?.includes('Notifications now go to')
        )
      ).toBe(true)
    // The secondary, once confirmed, signs in too.
    expect(
      (
        await svc.api('POST', '/v1/auth/sign-in', {
          identifier: 'second@example.test',
          password: line.password
        })
      ).status
    ).toBe(200)
  })

  it('keeps contact details and notification settings; security notices cannot be switched off', async () => {
    const line = await trialLine(svc)
    const contact = await svc.api<{ contact: { name: string; phone: string } }>(
      'PATCH',
      '/v1/account/contact',
      { name: 'Ada King', phone: '415-555-0101' },
      line.token
    )
    expect(contact.body.contact).toMatchObject({ name: 'Ada King', phone: '+14155550101' })
    const off = await svc.api('PATCH', '/v1/account/notifications', { security: false }, line.token)
    expect(off.status).toBe(400)
    const n = await svc.api<{ notifications: Record<string, boolean> }>(
      'PATCH',
      '/v1/account/notifications',
      { offers: true, missedCalls: false },
      line.token
    )
    expect(n.body.notifications).toEqual({
      service: true,
      billing: true,
      cardExpiring: true,
      paymentProblems: true,
      promisedPayment: true,
      security: true,
      missedCalls: false,
      offers: true
    })
  })

  it('limits sign-in attempts per identifier, with Retry-After, for known and unknown alike', async () => {
    for (const identifier of ['limited@example.test', (await trialLine(svc)).email]) {
      let last = 0
      for (let i = 0; i < 11; i++)
        last = (await svc.api('POST', '/v1/auth/sign-in', { identifier, password: 'guess guess' })).status
      const r = await svc.api('POST', '/v1/auth/sign-in', { identifier, password: 'guess guess' })
      expect([last, r.status]).toEqual([429, 429])
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    }
  })

  it('records security events in the audit log without secrets', async () => {
    const line = await trialLine(svc)
    await svc.api('POST', '/v1/auth/sign-in', { identifier: line.email, password: 'wrong password' })
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    const events = await svc.service.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('account_id', '=', line.accountId)
      .execute()
    const kinds = events.map((e) => e.kind)
    expect(kinds).toEqual(
      expect.arrayContaining([
        'trial.activated',
        'e911.registered',
        'sip.enabled',
        'signin.failed',
        'password.reset-requested'
      ])
    )
    const token = await latestSecret(svc, line.email, 'password-reset')
    for (const e of events) {
      expect(e.detail).not.toContain(line.password)
      expect(e.detail).not.toContain(token)
    }
  })
})
