/**
 * Migration 0041 (credit for calls abroad): the view `kamailio_credit`, through which Kamailio reads what an account
 * can spend on a call abroad before the call (resources/kamailio/credit.cfg): per SIP user, its line's account, the
 * account's balance (the ledger's sum, minor units) and its unexpired international minutes (what minutes packs have
 * left). The rating spends them in the same order after the call (billing/usage.ts: minutes first, then the balance
 * at the destination's rate). "Unexpired" is read against the database's clock, as Kamailio asks at the call.
 *
 * On PostgreSQL the columns are typed as Kamailio's db_postgres hands them on (migration 0022 says why: a `text`
 * column reaches modules as a blob), and Kamailio's role is granted the view alone (resources/kamailio/postgres-role.sql),
 * given here to whoever may read `kamailio_services` already, so an existing deployment's role can read it.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function callCredit(dialect: Dialect): Migration {
  const pg = dialect === 'postgres'
  // Timestamps are kept as ISO 8601 text in UTC with milliseconds (Date.toISOString), so text compares as time.
  const now = pg
    ? sql`to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
  const int = (e: ReturnType<typeof sql>) => (pg ? sql`CAST(${e} AS INTEGER)` : e)
  return {
    async up(db: AnyDb) {
      await sql`DROP VIEW IF EXISTS kamailio_credit`.execute(db)
      await sql`CREATE VIEW kamailio_credit AS
        SELECT ${pg ? sql`CAST(s.username AS VARCHAR(64))` : sql`s.username`} AS username,
          ${pg ? sql`CAST(l.account_id AS VARCHAR(64))` : sql`l.account_id`} AS account_id,
          ${int(sql`COALESCE((SELECT SUM(b.amount_minor) FROM balance_entries b WHERE b.account_id = l.account_id), 0)`)}
            AS balance_minor,
          ${int(sql`COALESCE((SELECT SUM(p.minutes - p.used) FROM minute_packs p
            WHERE p.account_id = l.account_id AND p.used < p.minutes AND p.expires_at > ${now}), 0)`)} AS pack_minutes
        FROM sip_accounts s JOIN lines l ON l.id = s.line_id`.execute(db)
      if (!pg) return
      const grantees = await sql<{ grantee: string }>`
        SELECT DISTINCT grantee FROM information_schema.role_table_grants
        WHERE table_name = 'kamailio_services' AND privilege_type = 'SELECT' AND grantee <> current_user`.execute(
        db
      )
      for (const { grantee } of grantees.rows)
        await sql`GRANT SELECT ON kamailio_credit TO ${sql.id(grantee)}`.execute(db)
    }
  }
}

/**
 * Migration 0043: the same view with the minutes of calls abroad the rating has charged the account so far
 * (`rated_minutes`). Kamailio remembers the minutes of the calls abroad it saw end and subtracts those the rating has
 * not charged yet (credit.cfg, route[CREDIT_ENDED]): the balance it reads does not pay for a call until the call is
 * rated (up to 35 s after its end), and a call started in between was given the credit again. Written out whole, not
 * built from 0041's: a migration does not change when later code does.
 */
export function callCreditRated(dialect: Dialect): Migration {
  const pg = dialect === 'postgres'
  const now = pg
    ? sql`to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
  const int = (e: ReturnType<typeof sql>) => (pg ? sql`CAST(${e} AS INTEGER)` : e)
  return {
    async up(db: AnyDb) {
      await sql`DROP VIEW IF EXISTS kamailio_credit`.execute(db)
      await sql`CREATE VIEW kamailio_credit AS
        SELECT ${pg ? sql`CAST(s.username AS VARCHAR(64))` : sql`s.username`} AS username,
          ${pg ? sql`CAST(l.account_id AS VARCHAR(64))` : sql`l.account_id`} AS account_id,
          ${int(sql`COALESCE((SELECT SUM(b.amount_minor) FROM balance_entries b WHERE b.account_id = l.account_id), 0)`)}
            AS balance_minor,
          ${int(sql`COALESCE((SELECT SUM(p.minutes - p.used) FROM minute_packs p
            WHERE p.account_id = l.account_id AND p.used < p.minutes AND p.expires_at > ${now}), 0)`)} AS pack_minutes,
          ${int(sql`COALESCE((SELECT SUM(u.billed_minutes) FROM usage_records u
            WHERE u.account_id = l.account_id AND u.zone = 'international'), 0)`)} AS rated_minutes
        FROM sip_accounts s JOIN lines l ON l.id = s.line_id`.execute(db)
      if (!pg) return
      const grantees = await sql<{ grantee: string }>`
        SELECT DISTINCT grantee FROM information_schema.role_table_grants
        WHERE table_name = 'kamailio_services' AND privilege_type = 'SELECT' AND grantee <> current_user`.execute(
        db
      )
      for (const { grantee } of grantees.rows)
        await sql`GRANT SELECT ON kamailio_credit TO ${sql.id(grantee)}`.execute(db)
    }
  }
}
