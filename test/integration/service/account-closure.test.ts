/**
 * A person's own data, on SQLite and PostgreSQL, through the real HTTP service (src/server/identity/data-export.ts,
 * closure.ts): the export holds the account's data and nothing of another account's, nor any secret; closing asks
 * the password (a stolen session alone is refused), schedules the closure with 30 days of grace during which the
 * lines work (auto-renew charging nothing) and signing in and "Keep my account" undoes it, and every confirmed
 * address is told; at the end the job closes the lines, frees the dongle and the number, removes the cards, ends the
 * sessions and erases the person (its own trial requests and messages, not another account's naming its address),
 * while invoices' and the ledger's rows stay under the account id. A business with people is refused. Two requests
 * at once are one closure, and "Keep my account" racing the job leaves one winner (on PostgreSQL the requests'
 * transactions are made to overlap; SQLite runs one transaction at a time).
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLOSURE_GRACE_DAYS, type AccountClosure, type AccountExport } from '../../../src/shared/api/privacy'
import { newId } from '../../../src/server/secrets'
import { completeClosure, keepAccount } from '../../../src/server/identity/closure'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, latestSecret, lineNumber, mailbox, trialLine } from '../../support/service-flows'
import { CARDS, charges, key, renew, saveCard } from '../../support/billing-flows'
import { firstAdmin, makeOperator, signedInCli } from '../../support/ops'
import { insertSentMessage } from '../../support/sent-message'

type Err = { error?: { code: string; reason?: string; params?: Record<string, unknown> } }
const DAY = 24 * 60 * 60_000

describe.each(BACKENDS)('a person’s own data on %s', (backend) => {
  let svc: TestService
  const db = () => svc.service.ctx.db

  const closure = (token: string) =>
    svc.api<AccountClosure & Err>('GET', '/v1/account/closure', undefined, token)
  const close = (token: string, password: unknown) =>
    svc.api<AccountClosure & Err>('POST', '/v1/account/closure', { password }, token)
  const keep = (token: string) =>
    svc.api<AccountClosure & Err>('DELETE', '/v1/account/closure', undefined, token)
  const signIn = (identifier: string, password: string) =>
    svc.api<{ token: string } & Err>('POST', '/v1/auth/sign-in', { identifier, password })

  /** A line with a card, a top-up, a support request, a call and a voicemail message: data in every part. */
  async function busyLine(): Promise<TrialLine & { number: string }> {
    const l = await trialLine(svc)
    await saveCard(svc, l.token)
    const top = await svc.api(
      'POST',
      '/v1/balance/top-up',
      { idempotencyKey: key(), amountMinor: 2500, payment: { card: CARDS.ok } },
      l.token
    )
    expect(top.status, JSON.stringify(top.body)).toBe(200)
    const help = await svc.api(
      'POST',
      '/v1/support/requests',
      { topic: 'line', text: `My line ${l.serial} crackles` },
      l.token
    )
    expect(help.status, JSON.stringify(help.body)).toBe(201)
    const { phone_number } = await db()
      .selectFrom('lines')
      .select('phone_number')
      .where('id', '=', l.lineId)
      .executeTakeFirstOrThrow()
    const now = svc.clock.now().toISOString()
    await db()
      .insertInto('usage_records')
      .values({
        id: newId('use'),
        account_id: l.accountId,
        line_id: l.lineId,
        call_id: newId('call'),
        started_at: now,
        destination: '+12125550147',
        seconds: 61,
        billed_minutes: 2,
        zone: 'domestic',
        pack_minutes: 0,
        amount_minor: 4,
        forwarded_from: null
      })
      .execute()
    await db()
      .insertInto('voicemail_messages')
      .values({
        id: newId('vm'),
        line_id: l.lineId,
        account_id: l.accountId,
        caller: '+13125550199',
        caller_name: 'Grace Hopper',
        reason: 'no-answer',
        received_at: now,
        duration_ms: 4000,
        size_bytes: 4,
        audio: new Uint8Array([1, 2, 3, 4]),
        heard_at: null
      })
      .execute()
    return { ...l, number: phone_number ?? '' }
  }

  beforeAll(async () => {
    svc = await startTestService(backend)
  }, 120_000)
  afterAll(async () => {
    await svc?.close()
  })

  it('exports the account’s data, nothing of another account’s and no secret', async () => {
    const me = await busyLine()
    const other = await busyLine()
    // An operator's action on the account: in the activity, without the operator who acted.
    await svc.service.ctx.audit.record('device.moved-by-operator', {
      accountId: me.accountId,
      detail: { device: 'dev_test', to: me.accountId, operator: 'op_staff_member' }
    })
    const r = await svc.api<AccountExport & Err>('GET', '/v1/account/export', undefined, me.token)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const data = r.body
    expect(data.activity).toContainEqual(
      expect.objectContaining({ kind: 'trial.activated', address: '127.0.0.1' })
    )
    expect(data.activity).toContainEqual(
      expect.objectContaining({
        kind: 'device.moved-by-operator',
        detail: { device: 'dev_test', to: me.accountId }
      })
    )
    expect(JSON.stringify(data.activity)).not.toContain('op_staff_member')
    expect([data.format, data.version, data.account.id]).toEqual(['dialtone-account-export', 1, me.accountId])
    expect(data.emails.map((e) => e.address)).toEqual([me.email])
    expect(data.lines).toEqual([
      expect.objectContaining({ id: me.lineId, number: me.number, deviceSerial: me.serial })
    ])
    expect(data.lines[0]?.numbers.map((n) => n.number)).toContain(me.number)
    expect(data.lines[0]?.e911Addresses).toEqual([expect.objectContaining({ street: '12 Washington St' })])
    expect(data.devices.map((d) => d.serial)).toEqual([me.serial])
    expect(data.coverage.length).toBeGreaterThan(0)
    // The saved card, and the one the top-up was paid with once (removed from its first instant).
    expect(data.cards).toContainEqual(expect.objectContaining({ last4: '4242', removedAt: null }))
    expect(data.balance.some((b) => b.amountMinor === 2500)).toBe(true)
    expect(data.calls).toEqual([expect.objectContaining({ destination: '+12125550147', seconds: 61 })])
    expect(data.voicemail).toEqual([
      expect.objectContaining({ caller: '+13125550199', callerName: 'Grace Hopper' })
    ])
    expect(data.support[0]?.messages[0]?.text).toBe(`My line ${me.serial} crackles`)
    expect(data.sessions.length).toBeGreaterThan(0)
    expect(data.sessions[0]?.address).toBe('127.0.0.1')
    expect(Array.isArray(data.invoices)).toBe(true)

    const text = JSON.stringify(data)
    const sip = await svc.api<{ password: string }>('GET', `/v1/lines/${me.lineId}/sip`, undefined, me.token)
    expect(sip.status, JSON.stringify(sip.body)).toBe(200)
    // Nothing of the other account.
    for (const theirs of [other.accountId, other.email, other.serial, other.lineId, other.number])
      expect(text).not.toContain(theirs)
    // No secret: password hash, session token, SIP password, card token, voicemail audio.
    const secrets = [
      (
        await db()
          .selectFrom('accounts')
          .select('password_hash')
          .where('id', '=', me.accountId)
          .executeTakeFirstOrThrow()
      ).password_hash,
      me.token,
      ...(
        await db()
          .selectFrom('payment_methods')
          .select('gateway_token')
          .where('account_id', '=', me.accountId)
          .execute()
      ).map((c) => c.gateway_token),
      sip.body.password,
      ...(
        await db()
          .selectFrom('sip_accounts')
          .select('password_enc')
          .where('line_id', '=', me.lineId)
          .execute()
      ).map((r) => r.password_enc)
    ]
    expect(secrets.length).toBeGreaterThanOrEqual(3)
    for (const secret of secrets) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/scrypt\$|dts_|"audio"|"gateway_?[tT]oken"|password/)
  })

  it('asks the password: a stolen session alone closes nothing', async () => {
    const l = await trialLine(svc)
    const wrong = await close(l.token, 'not the password at all')
    expect([wrong.status, wrong.body.error?.reason]).toEqual([400, 'wrong-password'])
    const none = await svc.api<Err>('POST', '/v1/account/closure', {}, l.token)
    expect(none.status).toBe(400)
    const anon = await svc.api<Err>('POST', '/v1/account/closure', { password: l.password })
    expect(anon.status).toBe(401)
    expect((await closure(l.token)).body.scheduled).toBeNull()
    expect(
      await db().selectFrom('account_closures').selectAll().where('account_id', '=', l.accountId).execute()
    ).toEqual([])
  })

  it('schedules the closure, tells every confirmed address, and signing in then keeping the account undoes it', async () => {
    const l = await busyLine()
    const before = await closure(l.token)
    expect(before.body).toMatchObject({
      scheduled: null,
      lines: [{ id: l.lineId, number: l.number }],
      graceDays: 30
    })
    expect(before.body.balance.amountMinor).toBe(2500)

    const asked = await close(l.token, l.password)
    expect(asked.status, JSON.stringify(asked.body)).toBe(202)
    const closesAt = asked.body.scheduled?.closesAt ?? ''
    expect(Date.parse(closesAt) - svc.clock.now().getTime()).toBe(CLOSURE_GRACE_DAYS * DAY)
    // Support sees it: `dialtone-ops accounts show` says the account is closing, and when.
    const admin = await firstAdmin(svc, `admin-${backend}@ops.dialtone.test`)
    const cli = await signedInCli(svc, await makeOperator(svc, admin.token, 'support'))
    const shown = await cli.run(['accounts', 'show', l.accountId, '--reason', 'owner asks when it closes'])
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain(`closing on ${closesAt}`)
    const told = (await mailbox(svc, l.email)).filter((m) => m.purpose === 'account-closure-requested')
    expect(told).toHaveLength(1)
    expect(told[0]?.body).toContain('Keep my account')
    const again = await close(l.token, l.password)
    expect([again.status, again.body.error?.reason]).toEqual([409, 'closure-scheduled'])
    expect(again.body.error?.params?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)

    // During the grace period: nothing closes, the line works, and the owner signs in.
    svc.clock.advance((CLOSURE_GRACE_DAYS - 1) * DAY)
    await svc.service.runJobs()
    const line = await db()
      .selectFrom('lines')
      .select('status')
      .where('id', '=', l.lineId)
      .executeTakeFirstOrThrow()
    expect(line.status).not.toBe('closed')
    const back = await signIn(l.email, l.password)
    expect(back.status, JSON.stringify(back.body)).toBe(200)
    const kept = await keep(back.body.token)
    expect(kept.status, JSON.stringify(kept.body)).toBe(200)
    expect(kept.body.scheduled).toBeNull()
    expect((await mailbox(svc, l.email)).some((m) => m.purpose === 'account-kept')).toBe(true)
    const twice = await keep(back.body.token)
    expect([twice.status, twice.body.error?.reason]).toEqual([409, 'closure-not-scheduled'])

    // Past the date nothing happens to a kept account.
    svc.clock.advance(2 * DAY)
    await svc.service.runJobs()
    const account = await db()
      .selectFrom('accounts')
      .select(['status', 'name'])
      .where('id', '=', l.accountId)
      .executeTakeFirstOrThrow()
    expect(account).toEqual({ status: 'active', name: 'Ada Lovelace' })
  })

  it('closes the account at the end of the grace period: erased what identifies the person, kept what the law keeps', async () => {
    const l = await busyLine()
    const asked = await close(l.token, l.password)
    expect(asked.status, JSON.stringify(asked.body)).toBe(202)
    const invoiceId = newId('inv')
    await db()
      .insertInto('invoices')
      .values({
        id: invoiceId,
        number: `T-${invoiceId}`,
        seq: 1,
        account_id: l.accountId,
        period: '2026-11',
        total_minor: 1999,
        currency: 'USD',
        pdf: '',
        content: null,
        issued_by: 'automatic',
        issued_at: svc.clock.now().toISOString()
      })
      .execute()
    const ledgerBefore = await db()
      .selectFrom('balance_entries')
      .select('id')
      .where('account_id', '=', l.accountId)
      .execute()

    // The line's SIP user, in Kamailio's table until the line closes.
    const sipUsers = (
      await db().selectFrom('sip_accounts').select('username').where('line_id', '=', l.lineId).execute()
    ).map((r) => r.username)
    expect(
      await db().selectFrom('subscriber').select('username').where('username', 'in', sipUsers).execute()
    ).toHaveLength(1)

    svc.clock.advance(CLOSURE_GRACE_DAYS * DAY + 60_000)
    await svc.service.runJobs()

    const account = await db()
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', l.accountId)
      .executeTakeFirstOrThrow()
    expect(account).toMatchObject({
      status: 'closed',
      name: '',
      contact_phone: null,
      billing_address: null,
      password_hash: 'erased'
    })
    const rows = async (table: 'account_emails' | 'account_phones' | 'sessions') =>
      db().selectFrom(table).select('account_id').where('account_id', '=', l.accountId).execute()
    expect(await rows('account_emails')).toEqual([])
    expect(await rows('account_phones')).toEqual([])
    expect(await rows('sessions')).toEqual([])
    expect((await svc.api('GET', '/v1/account', undefined, l.token)).status).toBe(401)
    expect((await signIn(l.email, l.password)).status).toBe(401)

    const line = await db()
      .selectFrom('lines')
      .selectAll()
      .where('id', '=', l.lineId)
      .executeTakeFirstOrThrow()
    expect(line.status).toBe('closed')
    const pooled = await db()
      .selectFrom('number_pool')
      .selectAll()
      .where('e164', '=', l.number)
      .executeTakeFirstOrThrow()
    expect(pooled.status).not.toBe('assigned')
    expect(
      await db().selectFrom('subscriber').select('username').where('username', 'in', sipUsers).execute()
    ).toEqual([])
    const device = await db()
      .selectFrom('devices')
      .select('owner_account_id')
      .where('id', '=', l.deviceId)
      .executeTakeFirstOrThrow()
    expect(device.owner_account_id).toBeNull()
    const cards = await db()
      .selectFrom('payment_methods')
      .select('removed_at')
      .where('account_id', '=', l.accountId)
      .execute()
    expect(cards.length).toBeGreaterThan(0)
    expect(cards.every((c) => c.removed_at !== null)).toBe(true)
    const support = await db()
      .selectFrom('support_requests')
      .select('id')
      .where('account_id', '=', l.accountId)
      .execute()
    expect(support).toHaveLength(1)
    expect(
      await db()
        .selectFrom('support_messages')
        .select('id')
        .where('request_id', '=', support[0]?.id ?? '')
        .execute()
    ).toEqual([])

    // Kept under the account id: invoices and the ledger.
    expect(
      await db().selectFrom('invoices').select('id').where('account_id', '=', l.accountId).execute()
    ).toHaveLength(1)
    expect(
      await db().selectFrom('balance_entries').select('id').where('account_id', '=', l.accountId).execute()
    ).toHaveLength(ledgerBefore.length)
    const done = await db()
      .selectFrom('account_closures')
      .selectAll()
      .where('account_id', '=', l.accountId)
      .executeTakeFirstOrThrow()
    expect(done).toMatchObject({ status: 'completed', requested_ip: null })
    // The last message goes out to the erased address, and nothing else the account had is left in the outbox.
    const mail = await mailbox(svc, l.email)
    expect(mail.map((m) => m.purpose)).toEqual(['account-closed'])

    // The address is free: a new trial with it makes a new account.
    const again = await trialLine(svc)
    expect(again.accountId).not.toBe(l.accountId)
  })

  /**
   * Runs `both` while a transaction of the test holds the account's row (PostgreSQL), released once `waiters`
   * statements wait for it: an insert naming the account (its foreign key) waits there, after every read before
   * it, so two requests' transactions overlap for certain. SQLite runs one transaction at a time: no lock needed.
   */
  async function overlapping<T>(accountId: string, waiters: number, both: () => Promise<T>): Promise<T> {
    if (backend !== 'postgres') return both()
    let release = () => {}
    const released = new Promise<void>((r) => (release = r))
    let held = () => {}
    const isHeld = new Promise<void>((r) => (held = r))
    const holder = db()
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().execute()
        held()
        await released
      })
    await isHeld
    const running = both()
    for (let i = 0; i < 250; i++) {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db())
      if ((rows[0]?.n ?? 0) >= waiters) break
      await new Promise((r) => setTimeout(r, 20))
    }
    release()
    await holder
    return running
  }

  it('two “Close” requests at once: one schedules the closure, the other is told it is scheduled', async () => {
    const l = await trialLine(svc)
    const both = await overlapping(l.accountId, 2, () =>
      Promise.all([close(l.token, l.password), close(l.token, l.password)])
    )
    expect(both.map((r) => r.status).sort(), JSON.stringify(both.map((r) => r.body))).toEqual([202, 409])
    const refused = both.find((r) => r.status === 409)
    expect(refused?.body.error?.reason).toBe('closure-scheduled')
    expect(refused?.body.error?.params?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const rows = await db()
      .selectFrom('account_closures')
      .select('status')
      .where('account_id', '=', l.accountId)
      .execute()
    expect(rows).toEqual([{ status: 'scheduled' }])
    expect(
      (await mailbox(svc, l.email)).filter((m) => m.purpose === 'account-closure-requested')
    ).toHaveLength(1)
  })

  it('“Keep my account” racing the closing job: one of them wins, never both', async () => {
    const ctx = svc.service.ctx
    const l = await trialLine(svc)
    expect((await close(l.token, l.password)).status).toBe(202)
    const { id } = await db()
      .selectFrom('account_closures')
      .select('id')
      .where('account_id', '=', l.accountId)
      .executeTakeFirstOrThrow()
    svc.clock.advance(CLOSURE_GRACE_DAYS * DAY + 60_000)
    const [completed, kept] = await Promise.all([
      completeClosure(ctx, id),
      keepAccount(ctx, l.accountId, '127.0.0.1').then(
        () => 'kept',
        (e: unknown) => (e as { reason?: string }).reason ?? String(e)
      )
    ])
    const row = await db()
      .selectFrom('account_closures')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const account = await db()
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', l.accountId)
      .executeTakeFirstOrThrow()
    const line = await db()
      .selectFrom('lines')
      .select('status')
      .where('id', '=', l.lineId)
      .executeTakeFirstOrThrow()
    if (kept === 'kept') {
      // Kept first: the job found nothing to do, and everything is as the "stays open" email says.
      expect([completed, row.status, account.status]).toEqual([false, 'cancelled', 'active'])
      expect(line.status).not.toBe('closed')
    } else {
      // Closed first: "Keep" is refused as it is for any closure no longer scheduled, and no "stays open" went out.
      expect([kept, completed, row.status, account.status, line.status]).toEqual([
        'closure-not-scheduled',
        true,
        'completed',
        'closed',
        'closed'
      ])
      expect(
        await db()
          .selectFrom('outbox')
          .select('id')
          .where('purpose', '=', 'account-kept')
          .where('recipient', '=', l.email)
          .execute()
      ).toEqual([])
    }
  })

  it('closing erases the account’s own messages and trial requests, not another account’s naming its address', async () => {
    const l = await trialLine(svc)
    const other = await trialLine(svc)
    const { source_id: trialId } = await db()
      .selectFrom('coverage_grants')
      .select('source_id')
      .where('line_id', '=', l.lineId)
      .where('source_type', '=', 'trial')
      .executeTakeFirstOrThrow()
    expect(
      await db().selectFrom('trial_requests').select('id').where('id', '=', trialId).execute()
    ).toHaveLength(1)
    // Rows of another account addressed to this address (it was once theirs): that account's, not this one's.
    const now = svc.clock.now().toISOString()
    const theirs = await insertSentMessage(db(), {
      to: l.email,
      subject: 'A notice of the other account',
      purpose: 'trial-ending',
      accountId: other.accountId,
      at: now
    })
    const theirTrial = newId('tri')
    const template = await db()
      .selectFrom('trial_requests')
      .selectAll()
      .where('id', '=', trialId)
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('trial_requests')
      .values({
        ...template,
        id: theirTrial,
        email: l.email.toUpperCase(),
        account_id: other.accountId,
        consumed_at: now
      })
      .execute()

    expect((await close(l.token, l.password)).status).toBe(202)
    svc.clock.advance(CLOSURE_GRACE_DAYS * DAY + 60_000)
    await svc.service.runJobs()
    expect(
      (
        await db()
          .selectFrom('accounts')
          .select('status')
          .where('id', '=', l.accountId)
          .executeTakeFirstOrThrow()
      ).status
    ).toBe('closed')

    // The account's own trial request (the one that made it) is gone; the other account's rows stay.
    expect(await db().selectFrom('trial_requests').select('id').where('id', '=', trialId).execute()).toEqual(
      []
    )
    expect(
      await db().selectFrom('trial_requests').select('id').where('id', '=', theirTrial).execute()
    ).toHaveLength(1)
    expect(await db().selectFrom('outbox').select('id').where('id', '=', theirs).execute()).toHaveLength(1)
    // What is left of this account in the outbox is the last message, under its id (the retention job's to delete).
    const left = await db()
      .selectFrom('outbox')
      .select(['purpose', 'account_id'])
      .where((eb) => eb.or([eb('account_id', '=', l.accountId), eb('recipient', '=', l.email)]))
      .where('id', '!=', theirs)
      .execute()
    expect(left).toEqual([{ purpose: 'account-closed', account_id: l.accountId }])
  })

  it('does not auto-renew a closing account’s line; keeping the account renews it again', async () => {
    const l = await trialLine(svc)
    const paid = await renew(
      svc,
      l.token,
      l.lineId,
      'line-1m@1',
      { card: CARDS.ok, save: true },
      { autoRenew: true }
    )
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    expect((await close(l.token, l.password)).status).toBe(202)
    // The line's paid time runs out within the renewal lead: auto-renew would charge now.
    const soon = new Date(svc.clock.now().getTime() + 60 * 60_000).toISOString()
    await db().updateTable('coverage_grants').set({ ends_at: soon }).where('line_id', '=', l.lineId).execute()
    const before = await charges(svc)
    await svc.service.runJobs()
    expect(await charges(svc)).toBe(before)
    expect((await keep(l.token)).status).toBe(200)
    await svc.service.runJobs()
    expect(await charges(svc)).toBe(before + 1)
  })

  it("gives a business's member their own sign-in's data, with their membership, and nothing of the business's", async () => {
    const acme = await trialLine(svc, { accountType: 'business', name: 'Ada Owner' })
    await svc.service.ctx.db
      .updateTable('accounts')
      .set({ company: 'Acme Export Ltd' })
      .where('id', '=', acme.accountId)
      .execute()
    const email = `desk-${Date.now()}@acme.test`
    const invited = await svc.api<Err>(
      'POST',
      '/v1/business/members',
      { email, name: 'Front Desk', role: 'line', lineId: acme.lineId },
      acme.token
    )
    expect(invited.status, JSON.stringify(invited.body)).toBe(201)
    const code = await latestSecret(svc, email, 'member-invitation')
    const password = 'correct horse battery staple 43'
    expect((await svc.api('POST', '/v1/auth/password/reset', { token: code, password })).status).toBe(200)
    const desk = await signIn(email, password)
    expect(desk.status).toBe(200)
    const r = await svc.api<AccountExport & Err>('GET', '/v1/account/export', undefined, desk.body.token)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const data = r.body
    expect(data.account.id).not.toBe(acme.accountId)
    expect(data.emails.map((e) => e.address)).toEqual([email])
    expect(data.memberships).toEqual([
      expect.objectContaining({
        business: 'Acme Export Ltd',
        role: 'line',
        lineNumber: await lineNumber(svc, acme.token, acme.lineId)
      })
    ])
    expect(data.sessions.length).toBeGreaterThan(0)
    expect(data.activity).toContainEqual(expect.objectContaining({ kind: 'signin.ok' }))
    // The business's own: not in it (its line, its balance, its calls are the administrator's to download).
    expect([data.lines, data.devices, data.balance, data.calls, data.invoices]).toEqual([[], [], [], [], []])
    expect(JSON.stringify(data)).not.toContain(acme.email)
    // The download is recorded on the member's own sign-in, as every account's is.
    expect(
      await db()
        .selectFrom('audit_events')
        .select('account_id')
        .where('kind', '=', 'account.exported')
        .where('account_id', '=', data.account.id)
        .execute()
    ).toHaveLength(1)
    // An account that works for no business has no membership.
    const own = await svc.api<AccountExport & Err>('GET', '/v1/account/export', undefined, acme.token)
    expect([own.status, own.body.memberships]).toEqual([200, []])
  })

  it('a closing business takes no one in, and nobody acts for it once closed', async () => {
    const password = 'correct horse battery staple 42'
    const join = async (email: string) => {
      const code = await latestSecret(svc, email, 'member-invitation')
      expect((await svc.api('POST', '/v1/auth/password/reset', { token: code, password })).status).toBe(200)
      const r = await signIn(email, password)
      expect(r.status).toBe(200)
      return r.body.token
    }
    const invite = (token: string, email: string) =>
      svc.api<Err>(
        'POST',
        '/v1/business/members',
        { email, name: 'Late Comer', role: 'administrator' },
        token
      )

    // Closing: an invitation is refused with the closing's words (the day it closes, "Keep my account").
    const biz = await trialLine(svc, { accountType: 'business', name: 'Bea Owner' })
    expect((await close(biz.token, biz.password)).status).toBe(202)
    const refused = await invite(biz.token, `late-${backend}@bea.test`)
    expect([refused.status, refused.body.error?.reason]).toEqual([409, 'closure-scheduled'])
    expect(
      await db().selectFrom('business_members').selectAll().where('account_id', '=', biz.accountId).execute()
    ).toEqual([])

    // A member from before that rule (scheduled around them): removed with the account, their sign-in with them.
    const acme = await trialLine(svc, { accountType: 'business', name: 'Cy Owner' })
    const email = `kept-${backend}@cy.test`
    expect((await invite(acme.token, email)).status).toBe(201)
    const member = await join(email)
    expect((await svc.api('GET', '/v1/lines', undefined, member)).status).toBe(200)
    // A business no longer open: its members' sessions open nothing, before anything else is done.
    await db().updateTable('accounts').set({ status: 'closed' }).where('id', '=', acme.accountId).execute()
    expect((await svc.api('GET', '/v1/lines', undefined, member)).status).toBe(401)
    await db().updateTable('accounts').set({ status: 'active' }).where('id', '=', acme.accountId).execute()
    const id = newId('acl')
    await db()
      .insertInto('account_closures')
      .values({
        id,
        account_id: acme.accountId,
        status: 'scheduled',
        requested_at: new Date().toISOString(),
        requested_ip: null,
        closes_at: new Date().toISOString(),
        ended_at: null
      })
      .execute()
    expect(await completeClosure(svc.service.ctx, id)).toBe(true)
    expect(
      await db().selectFrom('business_members').selectAll().where('account_id', '=', acme.accountId).execute()
    ).toEqual([])
    expect((await svc.api('GET', '/v1/lines', undefined, member)).status).toBe(401)
    expect((await signIn(email, password)).status).toBe(401)
  })

  it('refuses a business that still has people, and a member may not close anything', async () => {
    const acme = await trialLine(svc, { accountType: 'business', name: 'Ada Owner' })
    const invited = await svc.api<Err>(
      'POST',
      '/v1/business/members',
      { email: 'staff@acme.test', name: 'Jo Staff', role: 'billing' },
      acme.token
    )
    expect(invited.status, JSON.stringify(invited.body)).toBe(201)
    const refused = await close(acme.token, acme.password)
    expect([refused.status, refused.body.error?.reason]).toEqual([409, 'business-has-people'])

    const code = await latestSecret(svc, 'staff@acme.test', 'member-invitation')
    const password = 'correct horse battery staple 42'
    expect((await svc.api('POST', '/v1/auth/password/reset', { token: code, password })).status).toBe(200)
    const staff = await signIn('staff@acme.test', password)
    expect(staff.status).toBe(200)
    for (const [method, path, body] of [
      ['GET', '/v1/account/closure', undefined],
      ['POST', '/v1/account/closure', { password }],
      ['DELETE', '/v1/account/closure', undefined]
    ] as const) {
      const r = await svc.api<Err>(method, path, body, staff.body.token)
      expect([path, r.status, r.body.error?.reason]).toEqual([path, 403, 'role-refused'])
    }
    expect(
      await db().selectFrom('account_closures').selectAll().where('account_id', '=', acme.accountId).execute()
    ).toEqual([])
  })
})
