/**
 * Migration 0039 (removed members) on SQLite and PostgreSQL, from a database where removing a person from a business
 * only closed their sign-in: such a sign-in is erased as removing one is now (its address free again, its waiting
 * invitation and code withdrawn, its messages, sessions and support words gone, the address out of its audit lines),
 * while a closed sign-in holding something of its own (a card here) and every open account stay as they were.
 */
import { Migrator } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../../src/server/db/database'
import { migrationProvider } from '../../../src/server/db/migrations'
import { accountRow, migrationDatabases } from '../../support/migration-db'
import { BACKENDS } from '../../support/service'

const NOW = '2026-12-01T00:00:00.000Z'
const LATER = '2099-01-01T00:00:00.000Z'

describe.each(BACKENDS)('removed members migration on %s', (backend) => {
  const databases = migrationDatabases(backend, 'removed')
  afterAll(() => databases.close())

  const email = (id: string, accountId: string, address: string) => ({
    id,
    account_id: accountId,
    address,
    role: 'original' as const,
    verified_at: NOW,
    preferred: 1,
    created_at: NOW
  })

  it('erases the sign-ins removing closed, and nothing else', async () => {
    const database = await databases.open()
    const { db, dialect } = database
    const step = await new Migrator({ db, provider: migrationProvider(dialect) }).migrateTo(
      '0038_device_proofs'
    )
    expect(step.error).toBeUndefined()
    const closed = (id: string) => ({ ...accountRow(id, NOW), status: 'closed' as const, name: `Name ${id}` })
    await db
      .insertInto('accounts')
      .values([closed('acc_gone'), closed('acc_card'), { ...accountRow('acc_live', NOW), name: 'Live' }])
      .execute()
    await db
      .insertInto('account_emails')
      .values([
        email('eml_gone', 'acc_gone', 'gone@people.test'),
        email('eml_card', 'acc_card', 'card@people.test'),
        email('eml_live', 'acc_live', 'live@people.test')
      ])
      .execute()
    await db
      .insertInto('account_invitations')
      .values(
        ['acc_gone', 'acc_live'].map((a) => ({
          id: `inv_${a}`,
          account_id: a,
          email: `${a}@people.test`,
          invited_by: 'acc_x',
          created_at: NOW,
          sent_at: NOW,
          accepted_at: null
        }))
      )
      .execute()
    await db
      .insertInto('one_time_tokens')
      .values(
        ['acc_gone', 'acc_live'].map((a) => ({
          id: `ott_${a}`,
          purpose: 'password_reset' as const,
          token_hash: `hash_${a}`,
          account_id: a,
          subject: a,
          expires_at: LATER,
          consumed_at: null,
          attempts: 0,
          created_at: NOW
        }))
      )
      .execute()
    await db
      .insertInto('sessions')
      .values({
        id: 'ses_gone',
        account_id: 'acc_gone',
        token_hash: 'h',
        client: 'Dialtone',
        ip: '203.0.113.9',
        created_at: NOW,
        last_seen_at: NOW,
        expires_at: LATER,
        revoked_at: NOW
      })
      .execute()
    await db
      .insertInto('outbox')
      .values({
        id: 'out_gone',
        channel: 'email',
        recipient: 'gone@people.test',
        subject: 'You are invited',
        body: 'code dtr_x',
        purpose: 'member-invitation',
        account_id: 'acc_gone',
        created_at: NOW,
        sent_at: null,
        attempts: 0,
        next_attempt_at: NOW,
        last_error: null,
        attachments: null
      })
      .execute()
    await db
      .insertInto('support_requests')
      .values({
        id: 'sup_gone',
        account_id: 'acc_gone',
        topic: 'line',
        status: 'open',
        diagnostics: '{}',
        created_at: NOW,
        updated_at: NOW,
        closed_at: null
      })
      .execute()
    await db
      .insertInto('support_messages')
      .values({
        id: 'msg_gone',
        request_id: 'sup_gone',
        position: 0,
        author: 'person',
        operator_id: null,
        text: 'I am Jo',
        created_at: NOW
      })
      .execute()
    await db
      .insertInto('audit_events')
      .values({
        id: 'aud_gone',
        at: NOW,
        account_id: 'acc_gone',
        kind: 'email.added',
        ip: null,
        detail: JSON.stringify({ email: 'eml_gone', address: 'gone@people.test' })
      })
      .execute()
    await db
      .insertInto('payment_methods')
      .values({
        id: 'pm_card',
        account_id: 'acc_card',
        gateway_token: 'tok',
        brand: 'visa',
        last4: '4242',
        exp_month: 1,
        exp_year: 2030,
        is_default: 1,
        created_at: NOW,
        removed_at: null
      })
      .execute()
    const untouched = async () => ({
      accounts: await db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '!=', 'acc_gone')
        .orderBy('id')
        .execute(),
      emails: await db.selectFrom('account_emails').selectAll().orderBy('id').execute(),
      invitations: await db.selectFrom('account_invitations').selectAll().orderBy('id').execute(),
      tokens: await db
        .selectFrom('one_time_tokens')
        .selectAll()
        .where('account_id', '=', 'acc_live')
        .execute()
    })
    const before = await untouched()

    expect(await migrateToLatest(database)).toContain('0039_removed_members')

    const gone = await db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', 'acc_gone')
      .executeTakeFirstOrThrow()
    expect([gone.status, gone.name, gone.password_hash]).toEqual(['closed', '', 'erased'])
    const of = (t: 'account_emails' | 'account_invitations' | 'sessions' | 'outbox') =>
      db.selectFrom(t).select('account_id').where('account_id', '=', 'acc_gone').execute()
    for (const t of ['account_emails', 'account_invitations', 'sessions', 'outbox'] as const)
      expect(await of(t), t).toEqual([])
    const token = await db
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('id', '=', 'ott_acc_gone')
      .executeTakeFirst()
    expect(token?.expires_at).not.toBe(LATER)
    const support = await db
      .selectFrom('support_requests')
      .selectAll()
      .where('id', '=', 'sup_gone')
      .executeTakeFirst()
    expect([support?.status, support?.diagnostics]).toEqual(['closed', null])
    expect(await db.selectFrom('support_messages').selectAll().execute()).toEqual([])
    const audit = await db
      .selectFrom('audit_events')
      .select('detail')
      .where('id', '=', 'aud_gone')
      .executeTakeFirst()
    expect(JSON.parse(audit?.detail ?? '{}')).toEqual({ email: 'eml_gone', address: '(erased)' })

    // A closed sign-in with a card of its own, and the open account, as they were (but the erased rows).
    const after = await untouched()
    expect(after).toEqual({
      ...before,
      emails: before.emails.filter((e) => e.account_id !== 'acc_gone'),
      invitations: before.invitations.filter((i) => i.account_id !== 'acc_gone')
    })
    // The freed address may be confirmed by another account now.
    await db
      .insertInto('account_emails')
      .values({ ...email('eml_new', 'acc_live', 'gone@people.test'), role: 'secondary', preferred: 0 })
      .execute()
  })
})
