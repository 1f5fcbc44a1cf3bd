/**
 * Sign-in throttling an attacker cannot turn against the owner (issue 21), on SQLite and PostgreSQL: growing
 * delays per (identifier, address) instead of a lock; a per-identifier limit that only clients which never signed
 * in before feel, so the owner's app (holding its device token) signs in while the identifier is hammered from
 * many addresses; the password reset as the way out; concurrent guesses cannot share a slot; password checks
 * inside a session are limited too. Client addresses come through X-Forwarded-For from a trusted proxy
 * (127.0.0.1 here; HAProxy in proxy.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { THROTTLE } from '../../../src/server/identity/signin-throttle'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { totpCode } from '../../../src/server/ops/totp'
import { firstAdmin, freshCode, makeOperator } from '../../support/ops'
import { latestSecret, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('sign-in throttling (%s)', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend, {}, { DIALTONE_TRUSTED_PROXIES: '127.0.0.1' })
  })
  afterAll(() => svc.close())

  const signIn = (body: Record<string, unknown>, from: string) =>
    svc.api<{ token?: string; deviceToken?: string; error?: { reason?: string } }>(
      'POST',
      '/v1/auth/sign-in',
      body,
      undefined,
      { 'x-forwarded-for': from }
    )

  it('an attacker hammering the identifier from many addresses does not stop the owner’s app', async () => {
    const victim = await trialLine(svc)
    // The owner's app signed in once before: it holds a device token for this identifier.
    const first = await signIn({ identifier: victim.email, password: victim.password }, '198.51.100.7')
    expect(first.status).toBe(200)
    const deviceToken = first.body.deviceToken as string
    expect(deviceToken).toMatch(/^dtd_/)

    // 60 wrong guesses from 60 addresses: each address is under its own budget, the identifier's untrusted
    // budget runs out.
    const statuses: number[] = []
    for (let i = 0; i < 60; i++)
      statuses.push(
        (await signIn({ identifier: victim.email, password: `guess ${i}` }, `203.0.113.${i + 1}`)).status
      )
    expect(statuses.slice(0, THROTTLE.untrusted.free)).toEqual(Array(THROTTLE.untrusted.free).fill(401))
    expect(statuses.slice(THROTTLE.untrusted.free + 1)).toEqual(
      Array(60 - THROTTLE.untrusted.free - 1).fill(429)
    )

    // A new client with the right password is slowed down too (it might be the attacker) ...
    const stranger = await signIn({ identifier: victim.email, password: victim.password }, '192.0.2.9')
    expect(stranger.status).toBe(429)
    expect(stranger.body.error?.reason).toBe('signin-delay')
    // ... but the owner's app, with its token, signs in at once, from a new address even.
    const owner = await signIn(
      { identifier: victim.email, password: victim.password, deviceToken },
      '198.51.100.99'
    )
    expect(owner.status).toBe(200)
    // A token is bound to its identifier: presented for someone else, it is just an untrusted client.
    const other = await trialLine(svc)
    for (let i = 0; i < THROTTLE.address.free; i++)
      expect(
        (await signIn({ identifier: other.email, password: 'nope nope', deviceToken }, '192.0.2.50')).status
      ).toBe(401)
    expect(
      (await signIn({ identifier: other.email, password: 'nope nope', deviceToken }, '192.0.2.50')).status
    ).toBe(429)

    // The password reset is the way out for everyone else.
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: victim.email })
    const token = await latestSecret(svc, victim.email, 'password-reset')
    const reset = await svc.api('POST', '/v1/auth/password/reset', { token, password: 'brand new secret 77' })
    expect(reset.status).toBe(200)
    expect(
      (await signIn({ identifier: victim.email, password: 'brand new secret 77' }, '192.0.2.9')).status
    ).toBe(200)
  })

  it('an operator’s CLI that signed in before is not held off by guesses of its email from many addresses', async () => {
    const admin = await firstAdmin(svc, 'hammered@ops.dialtone.test')
    const login = (body: Record<string, unknown>, from: string) =>
      svc.api<{ token?: string; deviceToken?: string; error?: { reason?: string } }>(
        'POST',
        '/ops/v1/auth/login',
        body,
        undefined,
        { 'x-forwarded-for': from }
      )
    const mine = await login(
      { email: admin.email, password: admin.password, code: freshCode(svc, admin.secret) },
      '198.51.100.20'
    )
    expect(mine.status).toBe(200)
    const deviceToken = mine.body.deviceToken as string
    expect(deviceToken).toMatch(/^dtd_/)
    // Another operator's real device token, for presenting as this one's below.
    const other = await makeOperator(svc, admin.token, 'support')
    const theirs = await login(
      { email: other.email, password: other.password, code: freshCode(svc, other.secret) },
      '198.51.100.21'
    )
    expect(theirs.body.deviceToken).toMatch(/^dtd_/)
    // The authenticator's next step, unused yet: everything below happens within it (the waits are seconds).
    svc.clock.advance(30_000)
    // Wrong guesses from one address each: every address under its own budget, the email's untrusted one spent.
    for (let i = 0; i <= THROTTLE.untrusted.free; i++)
      await login({ email: admin.email, password: 'a wrong guess', code: '123456' }, `203.0.113.${i + 1}`)
    // The right password from a new address waits (it may be the attacker); so does one with another operator's
    // token. Both are refused before the code is checked, so the code is still unused.
    const code = totpCode(admin.secret, svc.clock.now())
    const stranger = await login({ email: admin.email, password: admin.password, code }, '203.0.113.200')
    expect([stranger.status, stranger.body.error?.reason]).toEqual([429, 'signin-delay'])
    const borrowed = await login(
      { email: admin.email, password: admin.password, code, deviceToken: theirs.body.deviceToken },
      '192.0.2.10'
    )
    expect(borrowed.status).toBe(429)
    // The operator's CLI, with its device token, from an address it never used.
    const again = await login(
      { email: admin.email, password: admin.password, code, deviceToken },
      '192.0.2.9'
    )
    expect(again.status, JSON.stringify(again.body)).toBe(200)
    expect(again.body.deviceToken).toBe(deviceToken)
  })

  it('delays grow per (identifier, address) instead of locking, and a success starts again', async () => {
    const line = await trialLine(svc)
    const from = '198.51.100.20'
    for (let i = 0; i < THROTTLE.address.free; i++)
      expect((await signIn({ identifier: line.email, password: 'wrong wrong' }, from)).status).toBe(401)
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const r = await signIn({ identifier: line.email, password: 'wrong wrong' }, from)
      expect(r.status).toBe(429)
      const wait = Number(r.headers.get('retry-after'))
      waits.push(wait)
      svc.clock.advance(wait * 1000)
      // After the wait one more attempt runs (and fails), which makes the next wait longer.
      expect((await signIn({ identifier: line.email, password: 'wrong wrong' }, from)).status).toBe(401)
    }
    expect(waits).toEqual([1, 2, 4, 8])
    // Another address is not slowed by this one.
    expect((await signIn({ identifier: line.email, password: line.password }, '198.51.100.21')).status).toBe(
      200
    )
    // The right password from the slowed address, after its wait, clears it.
    svc.clock.advance(16_000)
    expect((await signIn({ identifier: line.email, password: line.password }, from)).status).toBe(200)
    expect((await signIn({ identifier: line.email, password: 'wrong wrong' }, from)).status).toBe(401)
  })

  it('concurrent guesses cannot share a slot: exactly the free attempts run', async () => {
    const line = await trialLine(svc)
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        signIn({ identifier: line.email, password: 'race race' }, '198.51.100.30')
      )
    )
    const count = (s: number) => results.filter((r) => r.status === s).length
    expect([count(401), count(429)]).toEqual([THROTTLE.address.free, 30 - THROTTLE.address.free])
  })

  it('limits password checks inside a session (change password, release a dongle)', async () => {
    const line = await trialLine(svc)
    const statuses: number[] = []
    for (let i = 0; i < 9; i++)
      statuses.push(
        (
          await svc.api(
            'POST',
            '/v1/auth/password/change',
            { currentPassword: `guess ${i}`, newPassword: 'another long secret' },
            line.token
          )
        ).status
      )
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 429])
    // Release counts against the same budget: the right password is refused until the window passes.
    const release = await svc.api(
      'POST',
      `/v1/devices/${line.deviceId}/release`,
      { password: line.password },
      line.token
    )
    expect(release.status).toBe(429)
  })
})
