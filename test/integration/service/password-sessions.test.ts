/**
 * What the app's password and session screens rely on (issue 19), on SQLite and PostgreSQL: every refusal of a
 * reset code or a one-time code names its field and says which case it is (unknown, used, expired), a weak
 * password names the rule it broke, refusals change nothing, the reset email quotes the app's own words, and the
 * session list says which app and which network address each session last came from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { latestSecret, mailbox, trialLine } from '../../support/service-flows'

interface Refusal {
  error: { code: string; reason: string; issues: { path: string; code: string }[] }
}

describe.each(BACKENDS)('password and sessions on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  const reset = (token: string, password: string) =>
    svc.api<Refusal>('POST', '/v1/auth/password/reset', { token, password })

  it('says which rule a weak password breaks, beside the field, and keeps the reset code usable', async () => {
    const line = await trialLine(svc, { name: 'Hedy Lamarr' })
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    const token = await latestSecret(svc, line.email, 'password-reset')
    const cases = [
      ['password1', 'password-common'],
      ['zzzzzzzzzz', 'password-repeated'],
      ['my name is hedy lamarr', 'password-personal'],
      [`${line.email.split('@')[0]} again`, 'password-personal']
    ] as const
    for (const [password, code] of cases) {
      const r = await reset(token, password)
      expect(r.status, password).toBe(400)
      expect(r.body.error).toMatchObject({ reason: 'weak-password', issues: [{ path: 'password', code }] })
    }
    const short = await reset(token, 'short')
    expect(short.body.error.issues).toEqual([
      expect.objectContaining({ path: 'password', code: 'too-short' })
    ])
    expect((await reset(token, 'a sound new passphrase')).status).toBe(200)
  })

  it('tells an unknown, a used and an expired reset code apart on the code field', async () => {
    const line = await trialLine(svc)
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    const first = await latestSecret(svc, line.email, 'password-reset')
    const unknown = await reset('dtr_' + 'x'.repeat(43), 'a sound new passphrase')
    expect(unknown.body.error).toMatchObject({
      code: 'gone',
      reason: 'token-invalid',
      issues: [{ path: 'token', code: 'token-unknown' }]
    })
    expect((await reset('not a code', 'a sound new passphrase')).body.error.issues[0]?.code).toBe(
      'token-unknown'
    )
    // Spaces a paste brings along are not part of the code.
    expect((await reset(`  ${first}\n`, 'a sound new passphrase')).status).toBe(200)
    const used = await reset(first, 'another new passphrase')
    expect(used.body.error).toMatchObject({
      reason: 'token-invalid',
      issues: [{ path: 'token', code: 'token-used' }]
    })

    svc.clock.advance(1000) // the mailbox lists the newest first, by time
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    const second = await latestSecret(svc, line.email, 'password-reset')
    svc.clock.advance(30 * 60_000 + 1)
    const late = await reset(second, 'another new passphrase')
    expect(late.body.error).toMatchObject({ issues: [{ path: 'token', code: 'token-expired' }] })
    // Nothing changed: the password set with the first code still signs in.
    const signIn = await svc.api('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: 'a sound new passphrase'
    })
    expect(signIn.status).toBe(200)
  })

  it('words the reset email with the app’s own button and field names', async () => {
    const en = (await import('../../../src/renderer/src/i18n/locales/en.json')).default
    const line = await trialLine(svc)
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    const mail = (await mailbox(svc, line.email)).find((m) => m.purpose === 'password-reset')
    for (const words of [en.account.title, en.account.reset.open, en.account.signIn, en.account.reset.code])
      expect(mail?.body).toContain(`"${words}"`)
    expect(mail?.body).not.toMatch(/link/i)
  })

  it('refuses a weak new password by its rule when changing it, and a wrong current one, changing nothing', async () => {
    const line = await trialLine(svc, { name: 'Katherine Johnson' })
    const change = (currentPassword: string, newPassword: string) =>
      svc.api<Refusal>('POST', '/v1/auth/password/change', { currentPassword, newPassword }, line.token)
    const weak = await change(line.password, 'katherine rocks')
    expect(weak.body.error.issues).toEqual([
      expect.objectContaining({ path: 'newPassword', code: 'password-personal' })
    ])
    const wrong = await change('not my password', 'a sound new passphrase')
    expect(wrong.body.error.issues).toEqual([
      expect.objectContaining({ path: 'currentPassword', code: 'wrong-password' })
    ])
    const still = await svc.api('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: line.password
    })
    expect(still.status).toBe(200)
  })

  it('lists each session with the app that opened it and the address it was last used from', async () => {
    const line = await trialLine(svc)
    const signIn = await svc.api<{ token: string; sessionId: string }>('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: line.password,
      client: 'Dialtone 9.9.9 (linux)'
    })
    const list = await svc.api<{
      sessions: { id: string; client: string | null; address: string | null; current: boolean }[]
    }>('GET', '/v1/auth/sessions', undefined, signIn.body.token)
    const mine = list.body.sessions.find((s) => s.current)
    expect(mine).toMatchObject({
      id: signIn.body.sessionId,
      client: 'Dialtone 9.9.9 (linux)',
      address: '127.0.0.1'
    })
    expect(list.body.sessions.filter((s) => !s.current).length).toBeGreaterThanOrEqual(1)
  })

  it('refuses a wrong, an expired and a reused sign-up code on the code field, and records the app', async () => {
    const phone = '+12125550142'
    const finish = (code: string) =>
      svc.api<Refusal & { token: string }>('POST', '/v1/signup/phone/verify', {
        phone,
        code,
        name: 'Mary Jackson',
        email: 'mary.jackson@example.test',
        password: 'wind tunnel 1958',
        client: 'Dialtone 9.9.9 (darwin)'
      })
    await svc.api('POST', '/v1/signup/phone', { phone })
    const stale = await latestSecret(svc, phone, 'phone-signup')
    svc.clock.advance(10 * 60_000 + 1)
    const expired = await finish(stale)
    expect(expired.body.error).toMatchObject({
      reason: 'code-expired',
      issues: [{ path: 'code', code: 'code-expired' }]
    })

    svc.clock.advance(60_000)
    await svc.api('POST', '/v1/signup/phone', { phone })
    const code = await latestSecret(svc, phone, 'phone-signup')
    const wrong = await finish(code === '000000' ? '111111' : '000000')
    expect(wrong.body.error).toMatchObject({
      reason: 'code-wrong',
      issues: [{ path: 'code', code: 'code-wrong' }]
    })
    const done = await finish(code)
    expect(done.status).toBe(201)
    const reused = await finish(code)
    expect(reused.body.error).toMatchObject({
      reason: 'code-used',
      issues: [{ path: 'code', code: 'code-used' }]
    })
    const sessions = await svc.api<{ sessions: { client: string | null }[] }>(
      'GET',
      '/v1/auth/sessions',
      undefined,
      done.body.token
    )
    expect(sessions.body.sessions.map((s) => s.client)).toEqual(['Dialtone 9.9.9 (darwin)'])
  })
})
