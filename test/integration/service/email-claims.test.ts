/**
 * Uniform answers and confirmed emails (issue 21), on SQLite and PostgreSQL. The probe found that activating a
 * purchased dongle on a new account with an email that already had an account answered 409 `email-taken` (so
 * anyone could test addresses), and that otherwise the account got an email nobody had confirmed, to which password
 * resets then went. Now the answer is the same either way and only the email to the address says which case it
 * was; an unconfirmed email neither signs in nor receives a reset (and the answers do not show it) until its code
 * comes back; a trial's email is confirmed by the trial code itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import {
  ACCEPT,
  BILLING,
  MODEL,
  latestSecret,
  mailbox,
  newSerial,
  trialLine,
  webShopOrder
} from '../../support/service-flows'

interface Activated {
  accountId: string
  deviceId: string
  lineId: string
  session: { token: string; sessionId: string; expiresAt: string }
}
interface Profile {
  emails: { id: string; address: string; role: string; verified: boolean; preferred: boolean }[]
}

const PASSWORD = 'enigma machine 1912'

/** A body with every id and token reduced to its prefix and length: what two fresh answers share. */
const shape = (body: unknown): string =>
  JSON.stringify(body, (_k, v: unknown) =>
    typeof v === 'string' && /^[a-z]{3}_/.test(v) ? `${v.slice(0, 4)}…${v.length}` : v
  )

describe.each(BACKENDS)('uniform answers and confirmed emails on %s', (backend) => {
  let svc: TestService
  let orders = 0
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  const activate = (email: string, purchase: Record<string, unknown> = { channel: 'retail' }) =>
    svc.api<Activated>('POST', '/v1/devices/activate', {
      serial: newSerial(),
      model: MODEL,
      areaCode: '617',
      acceptances: ACCEPT,
      purchase,
      account: { mode: 'new', name: 'Mallory', email, password: PASSWORD, billingAddress: BILLING }
    })

  const signIn = (identifier: string, password = PASSWORD) =>
    svc.api<{ token: string }>('POST', '/v1/auth/sign-in', { identifier, password })

  const profile = async (token: string): Promise<Profile> =>
    (await svc.api<Profile>('GET', '/v1/account', undefined, token)).body

  it('answers a retail activation with an email that has an account exactly like one with a fresh email', async () => {
    const owner = await trialLine(svc)
    const fresh = `fresh-${newSerial().toLowerCase()}@example.test`
    const onFresh = await activate(fresh)
    const onTaken = await activate(owner.email)
    expect(onTaken.status, JSON.stringify(onTaken.body)).toBe(201)
    expect(onFresh.status).toBe(201)
    expect(shape(onTaken.body)).toEqual(shape(onFresh.body))
    expect(onTaken.body.accountId).not.toBe(owner.accountId)
    // The accounts look alike from inside too: the email as given, unconfirmed, with a code field to fill.
    const [takenEmails, freshEmails] = [
      (await profile(onTaken.body.session.token)).emails,
      (await profile(onFresh.body.session.token)).emails
    ]
    expect(takenEmails).toMatchObject([{ address: owner.email, role: 'original', verified: false }])
    expect(freshEmails).toMatchObject([{ address: fresh, role: 'original', verified: false }])
    // Only the email says which case it was: a code to the fresh address, a notice (no code) to the owner.
    expect(await latestSecret(svc, fresh, 'email-verify')).toMatch(/^\d{6}$/)
    const notice = (await mailbox(svc, owner.email)).find((m) => m.purpose === 'email-in-use')
    expect(notice?.body).toMatch(/activated the dongle .* on a new account/)
    expect(notice?.body).not.toMatch(/\b\d{6}\b/)
    // The owner's account is untouched and still the one the address signs in to.
    const again = await signIn(owner.email, owner.password)
    expect(again.status).toBe(200)
    expect((await profile(again.body.token)).emails).toMatchObject([{ address: owner.email, verified: true }])
    // The new account cannot confirm the address (no code reached it), nor sign in with it.
    const guess = await svc.api(
      'POST',
      `/v1/account/emails/${takenEmails[0]?.id}/verify`,
      { code: '123456' },
      onTaken.body.session.token
    )
    expect(guess.body).toMatchObject({ error: { reason: 'code-wrong' } })
    expect((await signIn(owner.email)).status).toBe(401)
    // Its security notices do not reach the owner's mailbox either.
    const before = (await mailbox(svc, owner.email)).length
    const change = await svc.api(
      'POST',
      '/v1/auth/password/change',
      { currentPassword: PASSWORD, newPassword: 'another long passphrase' },
      onTaken.body.session.token
    )
    expect(change.status).toBe(200)
    expect(await mailbox(svc, owner.email)).toHaveLength(before)
  })

  it('answers an online activation and a phone sign-up on a taken email like on a fresh one', async () => {
    const owner = await trialLine(svc)
    const fresh = `online-${newSerial().toLowerCase()}@example.test`
    const answers = []
    for (const email of [fresh, owner.email]) {
      const number = await webShopOrder(svc, {
        number: `ORD-CLAIM-${backend.toUpperCase()}-${orders++}`,
        email
      })
      answers.push(await activate(email, { channel: 'online', orderNumber: number, email }))
    }
    expect(
      answers.map((a) => a.status),
      JSON.stringify(answers.map((a) => a.body))
    ).toEqual([201, 201])
    expect(shape(answers[1]?.body)).toEqual(shape(answers[0]?.body))
    expect((await mailbox(svc, owner.email)).map((m) => m.purpose)).toContain('email-in-use')

    const signups = []
    for (const [i, email] of [`phone-${newSerial().toLowerCase()}@example.test`, owner.email].entries()) {
      const phone = `+1212555${String(backend === 'sqlite' ? 300 + i : 400 + i).padStart(4, '0')}`
      expect((await svc.api('POST', '/v1/signup/phone', { phone })).status).toBe(202)
      const code = await latestSecret(svc, phone, 'phone-signup')
      signups.push(
        await svc.api('POST', '/v1/signup/phone/verify', {
          phone,
          code,
          name: 'Grace',
          email,
          password: PASSWORD
        })
      )
    }
    expect(signups.map((s) => s.status)).toEqual([201, 201])
    expect(shape(signups[1]?.body)).toEqual(shape(signups[0]?.body))
    const notices = (await mailbox(svc, owner.email)).filter((m) => m.purpose === 'email-in-use')
    expect(notices.map((m) => m.body).join('\n')).toMatch(/signed up to Dialtone with the phone number/)
  })

  it('keeps an unconfirmed email from signing in or receiving a reset, answering as for an unknown one, until its code', async () => {
    const email = `unconfirmed-${newSerial().toLowerCase()}@example.test`
    const made = await activate(email)
    expect(made.status).toBe(201)
    const unknown = `nobody-${newSerial().toLowerCase()}@example.test`
    // Sign-in: the right password with the unconfirmed address gets the unknown account's answer.
    const [byEmail, byNobody] = [await signIn(email), await signIn(unknown)]
    expect(byEmail.status).toBe(401)
    expect([byEmail.status, byEmail.body]).toEqual([byNobody.status, byNobody.body])
    // Forgot password: the same answer, and no reset goes to the unconfirmed address.
    const [forgot, forgotNobody] = [
      await svc.api('POST', '/v1/auth/password/forgot', { identifier: email }),
      await svc.api('POST', '/v1/auth/password/forgot', { identifier: unknown })
    ]
    expect([forgot.status, forgot.body]).toEqual([forgotNobody.status, forgotNobody.body])
    expect((await mailbox(svc, email)).map((m) => m.purpose)).not.toContain('password-reset')
    // Nor by the line's number: the account has no confirmed address a reset could go to.
    const line = await svc.api<{ number: string }>(
      'GET',
      `/v1/lines/${made.body.lineId}`,
      undefined,
      made.body.session.token
    )
    const byNumber = await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.body.number })
    expect([byNumber.status, byNumber.body]).toEqual([forgotNobody.status, forgotNobody.body])
    expect((await mailbox(svc, email)).map((m) => m.purpose)).not.toContain('password-reset')
    // The line's number still signs in, so the person is never locked out while the email waits.
    expect((await signIn(line.body.number)).status).toBe(200)

    // The code sent at activation confirms it; from then on the address signs in and receives resets.
    const [original] = (await profile(made.body.session.token)).emails
    const code = await latestSecret(svc, email, 'email-verify')
    const confirmed = await svc.api(
      'POST',
      `/v1/account/emails/${original?.id}/verify`,
      { code },
      made.body.session.token
    )
    expect(confirmed.status).toBe(200)
    expect((await profile(made.body.session.token)).emails).toMatchObject([
      { address: email, verified: true, preferred: true }
    ])
    expect((await signIn(email)).status).toBe(200)
    expect((await svc.api('POST', '/v1/auth/password/forgot', { identifier: email })).status).toBe(202)
    expect(await latestSecret(svc, email, 'password-reset')).toMatch(/^dtr_/)
  })

  it('lets the first account to confirm a claimed address own it; the other claim can never confirm', async () => {
    const email = `shared-${newSerial().toLowerCase()}@example.test`
    const first = await activate(email)
    const firstCode = await latestSecret(svc, email, 'email-verify')
    svc.clock.advance(1000) // the mailbox lists the newest first
    const second = await activate(email)
    const secondCode = await latestSecret(svc, email, 'email-verify')
    expect([first.status, second.status]).toEqual([201, 201])
    const verify = (who: Activated, emailId: string | undefined, code: string) =>
      svc.api('POST', `/v1/account/emails/${emailId}/verify`, { code }, who.session.token)
    const secondEmail = (await profile(second.body.session.token)).emails[0]
    const won = await verify(second.body, secondEmail?.id, secondCode)
    expect(won.status, JSON.stringify(won.body)).toBe(200)
    const firstEmail = (await profile(first.body.session.token)).emails[0]
    const late = await verify(first.body, firstEmail?.id, firstCode)
    expect(late.body).toMatchObject({ error: { code: 'conflict', reason: 'email-taken' } })
    const session = await signIn(email)
    expect(session.status).toBe(200)
    const who = await svc.api<{ id: string }>('GET', '/v1/account', undefined, session.body.token)
    expect(who.body.id).toBe(second.body.accountId)
    // Asking the first account's code again now tells the address's owner instead of sending a code.
    svc.clock.advance(1000)
    const resend = await svc.api(
      'POST',
      `/v1/account/emails/${firstEmail?.id}/resend`,
      undefined,
      first.body.session.token
    )
    expect(resend.status).toBe(200)
    expect((await mailbox(svc, email))[0]?.purpose).toBe('email-in-use')
  })

  it('sends notices only to confirmed addresses: a confirmed secondary takes over while the original waits', async () => {
    const original = `waiting-${newSerial().toLowerCase()}@example.test`
    const made = await activate(original)
    const token = made.body.session.token
    const second = `second-${newSerial().toLowerCase()}@example.test`
    const added = await svc.api<Profile>('POST', '/v1/account/emails', { address: second }, token)
    const secondId = added.body.emails.find((e) => e.address === second)?.id
    const code = await latestSecret(svc, second, 'email-verify')
    const done = await svc.api<Profile>('POST', `/v1/account/emails/${secondId}/verify`, { code }, token)
    expect(done.body.emails).toMatchObject([
      { address: original, verified: false, preferred: false },
      { address: second, verified: true, preferred: true }
    ])
    await svc.api(
      'POST',
      '/v1/auth/password/change',
      { currentPassword: PASSWORD, newPassword: 'another long passphrase' },
      token
    )
    expect((await mailbox(svc, second)).map((m) => m.purpose)).toContain('password-changed')
    expect((await mailbox(svc, original)).map((m) => m.purpose)).toEqual(['email-verify'])
  })

  it('counts a trial’s email as confirmed once the trial code is accepted', async () => {
    const line = await trialLine(svc)
    expect((await profile(line.token)).emails).toMatchObject([
      { address: line.email, role: 'original', verified: true, preferred: true }
    ])
    expect((await signIn(line.email, line.password)).status).toBe(200)
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: line.email })
    expect(await latestSecret(svc, line.email, 'password-reset')).toMatch(/^dtr_/)
  })

  it('adds a secondary email that another account has confirmed with the usual answer, telling its owner', async () => {
    const owner = await trialLine(svc)
    const other = await trialLine(svc)
    const fresh = `second-${newSerial().toLowerCase()}@example.test`
    const onFresh = await svc.api('POST', '/v1/account/emails', { address: fresh }, other.token)
    const onTaken = await svc.api('POST', '/v1/account/emails', { address: owner.email }, other.token)
    expect([onTaken.status, onFresh.status]).toEqual([201, 201])
    expect((await mailbox(svc, owner.email)).map((m) => m.purpose)).toContain('email-in-use')
    expect((await mailbox(svc, fresh)).map((m) => m.purpose)).toContain('email-verify')
    const twice = await svc.api('POST', '/v1/account/emails', { address: fresh }, other.token)
    expect(twice.body).toMatchObject({ error: { reason: 'email-taken' } })
  })
})
