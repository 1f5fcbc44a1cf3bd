/**
 * Removing a person from a business, on SQLite and PostgreSQL, through the real HTTP service
 * (src/server/business/member-removal.ts). Removed before joining: another business may invite the address, and
 * the old invitation's code answers as an expired invitation (also a code sent in the same moment). Removed after
 * joining: the person can no longer sign in, and can sign up on their own with the address; their name, password,
 * emails, messages, sessions, support words and the address in their audit lines are gone, while the business's
 * own lines, balance, invoice, document request and the person they invited stay as they were. A person whose
 * sign-in gained a line of its own keeps it: the administrator ends the membership, never the person's account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueInvoice } from '../../../src/server/business/invoices'
import { issueToken } from '../../../src/server/identity/one-time'
import { newId } from '../../../src/server/secrets'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, latestSecret, mailbox, startTrial, trialLine } from '../../support/service-flows'

type Err = { error?: { code: string; reason?: string; issues?: { path: string; code: string }[] } }
type Members = { members: { id: string; email: string; joined: boolean }[] } & Err
const PASSWORD = 'correct horse battery staple 42'
const OWN_PASSWORD = 'another horse battery staple 7'

describe.each(BACKENDS)('removing a person from a business on %s', (backend) => {
  let svc: TestService
  let acme: TrialLine
  let other: TrialLine

  const invite = (by: string, body: Record<string, unknown>) =>
    svc.api<Members>('POST', '/v1/business/members', body, by)
  const remove = (by: string, memberId: string) =>
    svc.api<Members>('DELETE', `/v1/business/members/${memberId}`, undefined, by)
  const reset = (token: string, password = PASSWORD) =>
    svc.api<Err>('POST', '/v1/auth/password/reset', { token, password })
  const signIn = (identifier: string, password: string) =>
    svc.api<{ token: string } & Err>('POST', '/v1/auth/sign-in', { identifier, password })

  /** Invites the address into `by`'s business; the member's id and the invitation's code. */
  async function invited(by: string, email: string, role: Record<string, unknown>) {
    const r = await invite(by, { email, name: 'Jo Member', ...role })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    const memberId = r.body.members.find((m) => m.email === email)?.id ?? ''
    return { memberId, code: await latestSecret(svc, email, 'member-invitation') }
  }

  /** The invited person sets their password with the code and signs in. */
  async function join(email: string, code: string): Promise<{ token: string; personId: string }> {
    expect((await reset(code)).status).toBe(200)
    const s = await signIn(email, PASSWORD)
    expect(s.status, JSON.stringify(s.body)).toBe(200)
    const me = await svc.api<{ id: string }>('GET', '/v1/account', undefined, s.body.token)
    return { token: s.body.token, personId: me.body.id }
  }

  /** A dongle's trial with this address and password: a new account, or the one with that password. */
  async function trialWith(email: string, password: string) {
    const { r } = await startTrial(svc, { email, password, name: 'Jo Self' })
    expect(r.status, JSON.stringify(r.body)).toBe(202)
    const code = await latestSecret(svc, email, 'trial-code')
    const a = await svc.api<{ accountId: string; lineId: string } & Err>('POST', '/v1/trials/activate', {
      trialId: r.body.trialId,
      code
    })
    expect(a.status, JSON.stringify(a.body)).toBe(201)
    return a.body
  }

  const db = () => svc.service.ctx.db

  beforeAll(async () => {
    svc = await startTestService(backend)
    acme = await trialLine(svc, { accountType: 'business', name: 'Ada Owner' })
    other = await trialLine(svc, { accountType: 'business', name: 'Bob Other' })
  }, 120_000)
  afterAll(async () => {
    await svc?.close()
  })

  it('removed before joining: another business may invite the address, and the old code is withdrawn', async () => {
    const email = 'early@people.test'
    const first = await invited(acme.token, email, { role: 'billing' })
    const personId = (
      await db()
        .selectFrom('account_invitations')
        .select('account_id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).account_id
    const gone = await remove(acme.token, first.memberId)
    expect(gone.status, JSON.stringify(gone.body)).toBe(200)
    expect(gone.body.members.map((m) => m.email)).not.toContain(email)

    // The old code answers as an expired invitation (the join screen's words), and sets nothing.
    const old = await reset(first.code)
    expect([old.status, old.body.error?.reason]).toEqual([410, 'token-invalid'])
    expect(old.body.error?.issues).toEqual([
      expect.objectContaining({ path: 'token', code: 'token-expired' })
    ])
    // A code sent in the same moment as the removal is refused the same way.
    const late = await issueToken(svc.service.ctx, 'password_reset', personId, personId, 60 * 60_000)
    const lateAnswer = await reset(late)
    expect([lateAnswer.status, lateAnswer.body.error?.issues?.[0]?.code]).toEqual([410, 'token-expired'])
    const erased = await db()
      .selectFrom('accounts')
      .select(['status', 'name', 'password_hash'])
      .where('id', '=', personId)
      .executeTakeFirstOrThrow()
    expect(erased).toEqual({ status: 'closed', name: '', password_hash: 'erased' })
    // The withdrawn invitation's email is gone from the outbox with the rest of the person's messages.
    expect(await mailbox(svc, email)).toEqual([])

    // Another business invites the address, and the person joins it with the new code.
    const second = await invited(other.token, email, { role: 'billing' })
    expect(second.code).not.toBe(first.code)
    const joined = await join(email, second.code)
    expect(joined.personId).not.toBe(personId)
    const me = await svc.api<{ company: string | null }>('GET', '/v1/business/me', undefined, joined.token)
    expect(me.status).toBe(200)
  })

  it('removed after joining: the person signs up on their own; their data is erased, the business’s stays', async () => {
    const email = 'joined@people.test'
    const { memberId, code } = await invited(acme.token, email, { role: 'administrator' })
    const person = await join(email, code)
    const as = (method: string, path: string, body?: unknown) =>
      svc.api<Err>(method, path, body, person.token)
    // What the person leaves behind: a secondary address, a support request, a document request, someone invited.
    expect((await as('POST', '/v1/account/emails', { address: 'jo.home@people.test' })).status).toBe(201)
    expect(
      (await as('POST', '/v1/support/requests', { topic: 'line', text: 'I am Jo, call me on 201-555-0100.' }))
        .status
    ).toBe(201)
    const doc = { kind: 'signed-statement', from: '2026-01-01', to: '2026-01-31', note: 'for Jo' }
    expect((await as('POST', '/v1/business/documents', doc)).status).toBe(201)
    const colleague = await invited(person.token, 'colleague@people.test', { role: 'billing' })
    // The business's own data: a charge, its invoice, its lines.
    await db()
      .insertInto('balance_entries')
      .values({
        id: newId('bal'),
        account_id: acme.accountId,
        kind: 'usage',
        amount_minor: -500,
        currency: 'USD',
        source_ref: 'removal-test-usage',
        memo: 'Calls in October',
        memo_code: 'other',
        memo_params: '{}',
        created_at: '2025-10-15T12:00:00.000Z'
      })
      .execute()
    await issueInvoice(svc.service.ctx, acme.accountId, '2025-10', 'operator:test')
    const business = async () => ({
      account: await db().selectFrom('accounts').selectAll().where('id', '=', acme.accountId).execute(),
      emails: await db()
        .selectFrom('account_emails')
        .selectAll()
        .where('account_id', '=', acme.accountId)
        .execute(),
      lines: await db().selectFrom('lines').selectAll().where('account_id', '=', acme.accountId).execute(),
      balance: await db()
        .selectFrom('balance_entries')
        .selectAll()
        .where('account_id', '=', acme.accountId)
        .execute(),
      invoices: await db()
        .selectFrom('invoices')
        .selectAll()
        .where('account_id', '=', acme.accountId)
        .execute(),
      documents: await db()
        .selectFrom('document_requests')
        .selectAll()
        .where('account_id', '=', acme.accountId)
        .execute(),
      members: await db()
        .selectFrom('business_members')
        .selectAll()
        .where('account_id', '=', acme.accountId)
        .execute()
    })
    const before = await business()
    expect(before.documents.map((d) => d.requested_by)).toContain(person.personId)

    expect((await remove(acme.token, memberId)).status).toBe(200)

    // Signed out, and the old password signs nobody in.
    expect((await svc.api('GET', '/v1/account', undefined, person.token)).status).toBe(401)
    expect((await signIn(email, PASSWORD)).body.error?.reason).toBe('wrong-credentials')
    // The person signs up on their own with the address: a new account of theirs.
    const own = await trialWith(email, OWN_PASSWORD)
    expect(own.accountId).not.toBe(person.personId)
    const mine = await signIn(email, OWN_PASSWORD)
    expect(mine.status, JSON.stringify(mine.body)).toBe(200)

    // The erased sign-in: no name, password, address, invitation, session, message, code or support words.
    const ctx = svc.service.ctx
    const p = person.personId
    expect(
      await db()
        .selectFrom('accounts')
        .select(['status', 'name', 'password_hash', 'contact_phone', 'billing_address', 'company'])
        .where('id', '=', p)
        .executeTakeFirstOrThrow()
    ).toEqual({
      status: 'closed',
      name: '',
      password_hash: 'erased',
      contact_phone: null,
      billing_address: null,
      company: null
    })
    for (const table of [
      'account_emails',
      'account_phones',
      'account_invitations',
      'sessions',
      'outbox'
    ] as const)
      expect(
        await db().selectFrom(table).select('account_id').where('account_id', '=', p).execute(),
        table
      ).toEqual([])
    const codes = await db().selectFrom('one_time_tokens').selectAll().where('account_id', '=', p).execute()
    expect(codes.every((c) => c.purpose !== 'email_verify')).toBe(true)
    expect(codes.every((c) => c.consumed_at !== null || c.expires_at <= ctx.clock.now().toISOString())).toBe(
      true
    )
    const support = await db()
      .selectFrom('support_requests')
      .selectAll()
      .where('account_id', '=', p)
      .execute()
    expect(support.map((s) => [s.status, s.diagnostics])).toEqual([['closed', null]])
    expect(
      await db()
        .selectFrom('support_messages')
        .select('id')
        .where('request_id', '=', support[0]?.id ?? '')
        .execute()
    ).toEqual([])
    const audit = await db()
      .selectFrom('audit_events')
      .select(['kind', 'detail'])
      .where('account_id', '=', p)
      .execute()
    expect(audit.map((a) => a.kind)).toContain('email.added')
    for (const a of audit)
      for (const address of [email, 'jo.home@people.test']) expect(a.detail).not.toContain(address)

    // Nothing of the business changed: its account, lines, charges, invoice, document request and the colleague.
    expect(await business()).toEqual({ ...before, members: before.members.filter((m) => m.id !== memberId) })
    expect(before.invoices).toHaveLength(1)
    expect((await svc.api('GET', `/v1/lines/${acme.lineId}`, undefined, acme.token)).status).toBe(200)
    const people = await svc.api<Members>('GET', '/v1/business/members', undefined, acme.token)
    expect(people.body.members.map((m) => m.id)).toContain(colleague.memberId)
  })

  it('a person whose sign-in has a line of its own keeps it, open, with its address', async () => {
    const email = 'both@people.test'
    const { memberId, code } = await invited(acme.token, email, { role: 'line', lineId: acme.lineId })
    const person = await join(email, code)
    // A dongle's trial with the same address and password joins the person's own sign-in.
    const own = await trialWith(email, PASSWORD)
    expect(own.accountId).toBe(person.personId)

    expect((await remove(acme.token, memberId)).status).toBe(200)
    // Signed out of the business; the account and its line are theirs still.
    expect((await svc.api('GET', '/v1/business/me', undefined, person.token)).status).toBe(401)
    const again = await signIn(email, PASSWORD)
    expect(again.status, JSON.stringify(again.body)).toBe(200)
    expect((await svc.api('GET', `/v1/lines/${own.lineId}`, undefined, again.body.token)).status).toBe(200)
    expect((await svc.api('GET', `/v1/lines/${acme.lineId}`, undefined, again.body.token)).status).toBe(404)
    // And the address is still theirs: no business can invite it and so reach their account.
    const r = await invite(other.token, { email, name: 'Taken', role: 'billing' })
    expect([r.status, r.body.error?.reason]).toEqual([409, 'email-unavailable'])
  })
})
