/**
 * Migration 0039 (removed members): the people removed from a business before removing erased them. Until then a
 * removal only closed the person's sign-in (the only way an account is ever closed), so their name, password hash,
 * addresses, a waiting invitation and its code stayed, and the address could never be invited or signed up with
 * again. This does to each such sign-in what removing one does now (src/server/business/member-removal.ts, which
 * says why, table by table), in plain SQL on both databases: the accounts closed that hold nothing of their own
 * (no line, dongle, balance entry, card or people) lose their name, contact details and password, their emails,
 * phones, invitations, sessions and messages, their email codes; their unused codes and trial requests expire; their
 * support requests are closed without the report or the words; an erased address in their audit lines is replaced.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

const REMOVED = sql.raw(`(select a.id from accounts a where a.status = 'closed'
  and not exists (select 1 from lines l where l.account_id = a.id)
  and not exists (select 1 from devices d where d.owner_account_id = a.id)
  and not exists (select 1 from balance_entries b where b.account_id = a.id)
  and not exists (select 1 from payment_methods p where p.account_id = a.id)
  and not exists (select 1 from business_members m where m.account_id = a.id))`)

export function removedMembers(): Migration {
  return {
    async up(db: AnyDb) {
      const now = new Date().toISOString()
      const emails = (
        await sql<{
          account_id: string
          address: string
        }>`select account_id, address from account_emails where account_id in ${REMOVED}`.execute(db)
      ).rows
      await scrubAudit(db, emails)
      await sql`delete from signin_throttle where identifier in
        (select lower(address) from account_emails where account_id in ${REMOVED}
         union select e164 from account_phones where account_id in ${REMOVED})`.execute(db)
      await sql`update accounts set name = '', company = null, contact_phone = null, billing_address = null,
        password_hash = 'erased', updated_at = ${now} where id in ${REMOVED}`.execute(db)
      for (const table of ['account_emails', 'account_phones', 'account_invitations', 'sessions', 'outbox'])
        await sql`delete from ${sql.table(table)} where account_id in ${REMOVED}`.execute(db)
      await sql`update one_time_tokens set expires_at = ${now}
        where account_id in ${REMOVED} and consumed_at is null`.execute(db)
      await sql`delete from one_time_tokens
        where account_id in ${REMOVED} and purpose = 'email_verify'`.execute(db)
      await sql`delete from support_messages where request_id in
        (select id from support_requests where account_id in ${REMOVED})`.execute(db)
      await sql`update support_requests set status = 'closed', diagnostics = null, updated_at = ${now},
        closed_at = coalesce(closed_at, ${now}) where account_id in ${REMOVED}`.execute(db)
      await sql`update trial_requests set expires_at = ${now}
        where account_id in ${REMOVED} and consumed_at is null`.execute(db)
    }
  }
}

/** An erased address in an audit line's detail becomes '(erased)' (as member-removal.ts scrubAudit). */
async function scrubAudit(db: AnyDb, emails: readonly { account_id: string; address: string }[]) {
  const byAccount = new Map<string, string[]>()
  for (const e of emails)
    byAccount.set(e.account_id, [...(byAccount.get(e.account_id) ?? []), e.address.toLowerCase()])
  for (const [accountId, addresses] of byAccount) {
    const rows = (
      await sql<{
        id: string
        detail: string
      }>`select id, detail from audit_events where account_id = ${accountId} and detail like '%@%'`.execute(
        db
      )
    ).rows
    const erase = (v: unknown): unknown =>
      typeof v === 'string' && addresses.includes(v.toLowerCase())
        ? '(erased)'
        : Array.isArray(v)
          ? v.map(erase)
          : typeof v === 'object' && v !== null
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, erase(x)]))
            : v
    for (const r of rows) {
      const detail = JSON.stringify(erase(JSON.parse(r.detail)))
      if (detail !== r.detail)
        await sql`update audit_events set detail = ${detail} where id = ${r.id}`.execute(db)
    }
  }
}
