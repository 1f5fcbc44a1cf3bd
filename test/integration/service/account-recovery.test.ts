/**
 * An account taken over, and the way back, on SQLite and PostgreSQL. Someone with the password adds their own
 * address, confirms it and makes it preferred; "if this was not you, reset your password" must then still reach
 * the owner: a reset asked for by email goes to the address asked from (a confirmed one of the account), not to
 * the preferred one. Support, through the real `dialtone-ops`: reads the account's history (the address added and
 * made preferred, with where from), ends every session, and gives the account back to the owner's address (the
 * taker's address removed and told, every session ended, the taker's reset code dead, a reset code to the owner
 * that works). Refusals change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import {
  type OpsCli,
  type Operator,
  auditEvents,
  firstAdmin,
  makeOperator,
  signedInCli
} from '../../support/ops'
import { US_ADDRESS, latestSecret, mailbox, trialLine, type TrialLine } from '../../support/service-flows'
import { saveCard } from '../../support/billing-flows'

const TAKER = 'taker@evil.example.test'

describe.each(BACKENDS)('an account taken over, and given back, on %s', (backend) => {
  let svc: TestService
  let support: OpsCli
  let billing: OpsCli
  let supportOp: Operator
  let billingOp: Operator
  let rootOp: Omit<Operator, 'id'>

  beforeAll(async () => {
    svc = await startTestService(backend)
    rootOp = await firstAdmin(svc)
    const root = rootOp
    supportOp = await makeOperator(svc, root.token, 'support')
    support = await signedInCli(svc, supportOp)
    billingOp = await makeOperator(svc, root.token, 'billing')
    billing = await signedInCli(svc, billingOp)
  }, 120_000)
  afterAll(() => svc.close())

  /** The owner's account, then the taker's session on it with their own address confirmed and preferred. */
  async function takenOver(owner: TrialLine, taker = TAKER): Promise<string> {
    const signIn = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: owner.email,
      password: owner.password
    })
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200)
    const token = signIn.body.token
    const added = await svc.api<{ emails: { id: string; address: string }[] }>(
      'POST',
      '/v1/account/emails',
      { address: taker },
      token
    )
    const id = added.body.emails.find((e) => e.address === taker)?.id
    const code = await latestSecret(svc, taker, 'email-verify')
    expect((await svc.api('POST', `/v1/account/emails/${id}/verify`, { code }, token)).status).toBe(200)
    expect((await svc.api('POST', `/v1/account/emails/${id}/preferred`, undefined, token)).status).toBe(200)
    return token
  }

  /** The line's SIP password (opened) and Kamailio's digest hash of it. */
  async function sipOf(lineId: string): Promise<{ password: string; ha1: string | undefined }> {
    const ctx = svc.service.ctx
    const account = await ctx.db
      .selectFrom('sip_accounts')
      .select(['username', 'password_enc'])
      .where('line_id', '=', lineId)
      .executeTakeFirstOrThrow()
    const row = await ctx.db
      .selectFrom('subscriber')
      .select('ha1')
      .where('username', '=', account.username)
      .executeTakeFirst()
    return { password: ctx.box.open(account.password_enc), ha1: row?.ha1 }
  }

  it("a reset asked for from the owner's address goes there, not to the taker's preferred one", async () => {
    const owner = await trialLine(svc)
    await takenOver(owner, `taker-1-${backend}@evil.example.test`)
    svc.clock.advance(1000)
    expect((await svc.api('POST', '/v1/auth/password/forgot', { identifier: owner.email })).status).toBe(202)
    const toTaker = (await mailbox(svc, `taker-1-${backend}@evil.example.test`)).filter(
      (m) => m.purpose === 'password-reset'
    )
    expect(toTaker).toEqual([])
    const token = await latestSecret(svc, owner.email, 'password-reset')
    const reset = await svc.api('POST', '/v1/auth/password/reset', {
      token,
      password: 'mine again, thank you'
    })
    expect(reset.status).toBe(200)
  })

  it('support reads the history, ends every session, and gives the account back to its owner', async () => {
    const owner = await trialLine(svc)
    const takerToken = await takenOver(owner)
    // The taker forwards the owner's calls to themselves.
    const forwarded = await svc.api(
      'PATCH',
      `/v1/lines/${owner.lineId}/forwarding`,
      { always: '+12025550143' },
      takerToken
    )
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200)
    // And moves where emergency services go: the recovery names it to support and in the owner's email.
    svc.clock.advance(1000)
    const moved = await svc.api(
      'PUT',
      `/v1/lines/${owner.lineId}/e911`,
      { address: { ...US_ADDRESS, street: '1 Elsewhere Rd', unit: '' } },
      takerToken
    )
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    // The taker asks for a reset to their address: support's recovery must make that code worthless.
    svc.clock.advance(1000)
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: TAKER })
    const takersCode = await latestSecret(svc, TAKER, 'password-reset')

    const history = await support.json<{ events: { kind: string; ip: string | null }[] }>([
      'accounts',
      'history',
      owner.accountId,
      '--limit',
      '20',
      '--reason',
      'owner reports a sign-in they do not know'
    ])
    const kinds = history.events.map((e) => e.kind)
    for (const k of ['email.added', 'email.verified', 'email.preferred', 'signin.ok'])
      expect(kinds).toContain(k)
    expect(history.events.find((e) => e.kind === 'email.preferred')?.ip).toMatch(/127\.0\.0\.1/)

    const ended = await support.json<{ ended: number }>([
      'accounts',
      'end-sessions',
      owner.accountId,
      '--reason',
      'owner reports a session they do not know'
    ])
    expect(ended.ended).toBeGreaterThanOrEqual(2)
    expect((await svc.api('GET', '/v1/account', undefined, takerToken)).status).toBe(401)
    expect((await svc.api('GET', '/v1/account', undefined, owner.token)).status).toBe(401)

    // Refused, changing nothing: billing may not; no reason; an address not on the account; not confirmed.
    const recover = (cli: OpsCli, email: string, ...more: string[]) =>
      cli.run(['accounts', 'recover', owner.accountId, '--email', email, ...more])
    expect(
      (await recover(billing, owner.email, '--reason', 'owner called from the number on file')).code
    ).toBe(5)
    expect((await recover(support, owner.email)).code).toBe(2)
    const stranger = await recover(support, 'nobody@example.test', '--reason', 'owner called from the number')
    expect(stranger.code).toBe(6)
    const sipBefore = await sipOf(owner.lineId)
    const emailsBefore = await svc.service.ctx.db
      .selectFrom('account_emails')
      .select(['address', 'preferred'])
      .where('account_id', '=', owner.accountId)
      .orderBy('address')
      .execute()
    expect(emailsBefore.find((e) => e.preferred === 1)?.address).toBe(TAKER)

    const done = await support.run([
      'accounts',
      'recover',
      owner.accountId,
      '--email',
      owner.email,
      '--reason',
      'owner verified by the last four digits of the card and the serial'
    ])
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toContain('I have a reset code')
    const lineNumber = (
      await svc.service.ctx.db
        .selectFrom('lines')
        .select('phone_number')
        .where('id', '=', owner.lineId)
        .executeTakeFirstOrThrow()
    ).phone_number
    const ownersAddress = '12 Washington St, Apt 4, Hoboken, NJ, 07030, US'
    const takersAddress = '1 Elsewhere Rd, Hoboken, NJ, 07030, US'
    expect(done.stdout).toContain('911 addresses were registered in the last 30 days')
    expect(done.stdout).toContain(takersAddress)
    expect(done.stdout).toContain(ownersAddress)
    // The forwarding the taker set is off.
    const rules = await svc.service.ctx.db
      .selectFrom('line_forwarding')
      .selectAll()
      .where('line_id', '=', owner.lineId)
      .execute()
    expect(rules).toEqual([])
    // The password the taker knows (they signed in with it) no longer signs in, by the owner's address or number.
    expect(
      (await svc.api('POST', '/v1/auth/sign-in', { identifier: owner.email, password: owner.password }))
        .status
    ).toBe(401)
    // The line's SIP password is new, Kamailio's row with it: credentials the taker fetched no longer register.
    const sipAfter = await sipOf(owner.lineId)
    expect(sipAfter.password).not.toBe(sipBefore.password)
    expect(sipAfter.ha1).not.toBe(sipBefore.ha1)
    const after = await svc.service.ctx.db
      .selectFrom('account_emails')
      .select(['address', 'preferred'])
      .where('account_id', '=', owner.accountId)
      .execute()
    expect(after).toEqual([{ address: owner.email, preferred: 1 }])
    const toldTaker = (await mailbox(svc, TAKER)).find((m) => m.body?.includes('Dialtone support removed'))
    expect(toldTaker?.body).toContain(TAKER)
    const mail = (await mailbox(svc, owner.email)).find((m) => m.purpose === 'password-reset')
    expect(mail?.subject).toBe('Reset your Dialtone password')
    expect(mail?.body).toContain(TAKER)
    expect(mail?.body).toContain('24 hours')
    // The owner's email names the line, the address the taker set and the one it replaced, and where to change it.
    expect(mail?.body).toContain(`${lineNumber}: ${takersAddress} (since `)
    expect(mail?.body).toContain(`before: ${ownersAddress})`)
    expect(mail?.body).toContain('open "Account", then the line\'s "911 address"')

    // The taker's code no longer works; the owner's does, and the taker's address no longer signs in.
    const dead = await svc.api('POST', '/v1/auth/password/reset', {
      token: takersCode,
      password: 'taker wins again'
    })
    expect(dead.body).toMatchObject({ error: { reason: 'token-invalid' } })
    svc.clock.advance(23 * 60 * 60_000)
    const code = await latestSecret(svc, owner.email, 'password-reset')
    const reset = await svc.api('POST', '/v1/auth/password/reset', {
      token: code,
      password: 'mine again, at last'
    })
    expect(reset.status, JSON.stringify(reset.body)).toBe(200)
    const takerSignIn = await svc.api('POST', '/v1/auth/sign-in', {
      identifier: TAKER,
      password: 'mine again, at last'
    })
    expect(takerSignIn.status).toBe(401)

    const audited = await auditEvents(svc, 'accounts-recover')
    expect(audited.map((e) => e.outcome)).toEqual(['refused', 'failed', 'ok'])
    expect(audited.at(-1)?.reason).toContain('last four digits')
    expect((await auditEvents(svc, 'accounts-end-sessions')).map((e) => e.outcome)).toEqual(['ok'])
  }, 120_000)

  it("recovered to the owner's second address: the original (the taker's way in) goes, the second becomes the original", async () => {
    const owner = await trialLine(svc)
    const second = `second-${backend}@owner.example.test`
    const added = await svc.api<{ emails: { id: string; address: string }[] }>(
      'POST',
      '/v1/account/emails',
      { address: second },
      owner.token
    )
    const id = added.body.emails.find((e) => e.address === second)?.id
    const code = await latestSecret(svc, second, 'email-verify')
    expect((await svc.api('POST', `/v1/account/emails/${id}/verify`, { code }, owner.token)).status).toBe(200)
    const recoverTo = (cli: OpsCli) =>
      cli.run([
        'accounts',
        'recover',
        owner.accountId,
        '--email',
        second,
        '--reason',
        'the original mailbox was taken over'
      ])
    // Removing the original is an admin's call (a taker with an address on the account could claim it is theirs).
    const bySupport = await recoverTo(await signedInCli(svc, supportOp))
    expect([bySupport.code, bySupport.stderr.includes('an admin')]).toEqual([5, true])
    const byAdmin = await recoverTo(await signedInCli(svc, rootOp))
    expect(byAdmin.code, byAdmin.stderr).toBe(0)
    const after = await svc.service.ctx.db
      .selectFrom('account_emails')
      .select('address')
      .where('account_id', '=', owner.accountId)
      .execute()
    expect(after.map((e) => e.address)).toEqual([second])
    const left = await svc.service.ctx.db
      .selectFrom('account_emails')
      .select(['address', 'role', 'preferred'])
      .where('account_id', '=', owner.accountId)
      .execute()
    expect(left).toEqual([{ address: second, role: 'original', preferred: 1 }])
    // A reset asked for by the old original names no account now: nothing goes there.
    svc.clock.advance(1000)
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: owner.email })
    const resets = (await mailbox(svc, owner.email)).filter((m) => m.purpose === 'password-reset')
    expect(resets).toEqual([])
  })

  it('shows support that a card was added, not which; billing sees the last four', async () => {
    const owner = await trialLine(svc)
    await saveCard(svc, owner.token)
    const history = async (cli: OpsCli) =>
      (
        await cli.json<{ events: { kind: string; detail: string }[] }>([
          'accounts',
          'history',
          owner.accountId,
          '--reason',
          'owner asks which card was added'
        ])
      ).events.find((e) => e.kind === 'payment-method.added')?.detail
    expect(await history(await signedInCli(svc, supportOp))).toBe('{}')
    expect(await history(await signedInCli(svc, billingOp))).toMatch(/"last4":"\d{4}"/)
  })

  it("a business account's people are listed for the owner to review: the administrator the taker invited keeps a sign-in of its own", async () => {
    const owner = await trialLine(svc, { accountType: 'business', name: 'Ada Owner' })
    const takerToken = await takenOver(owner, `taker-biz-${backend}@evil.example.test`)
    const invited = await svc.api(
      'POST',
      '/v1/business/members',
      { email: `accomplice-${backend}@evil.example.test`, name: 'Accomplice', role: 'administrator' },
      takerToken
    )
    expect(invited.status, JSON.stringify(invited.body)).toBe(201)
    const r = await (
      await signedInCli(svc, supportOp)
    ).run([
      'accounts',
      'recover',
      owner.accountId,
      '--email',
      owner.email,
      '--reason',
      'owner verified by the serial and the line number'
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Account, Business, People')
    expect(r.stdout).toContain('administrator')
    // The line's first 911 address, registered at its activation today: named, with nothing before it.
    expect(r.stdout).toMatch(/12 Washington St, Apt 4, Hoboken, NJ, 07030, US +\S+ +\(the first\)/)
    // A month on, an address nobody changed since is not named again.
    svc.clock.advance(31 * 86_400_000)
    const json = await (
      await signedInCli(svc, supportOp)
    ).json<{ members: { role: string }[]; e911Changed: unknown[] }>([
      'accounts',
      'recover',
      owner.accountId,
      '--email',
      owner.email,
      '--reason',
      'owner asked again after the first email'
    ])
    expect(json.members.map((m) => m.role)).toEqual(['administrator'])
    expect(json.e911Changed).toEqual([])
  })

  it('refuses an address the account has only claimed', async () => {
    const owner = await trialLine(svc)
    await svc.api('POST', '/v1/account/emails', { address: 'unconfirmed@example.test' }, owner.token)
    // The day the test before moved the clock on ended the operator's session: signed in again.
    const r = await (
      await signedInCli(svc, supportOp)
    ).run([
      'accounts',
      'recover',
      owner.accountId,
      '--email',
      'unconfirmed@example.test',
      '--reason',
      'owner called from the number on file'
    ])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('not confirmed')
    expect((await svc.api('GET', '/v1/account', undefined, owner.token)).status).toBe(200)
  })
})
