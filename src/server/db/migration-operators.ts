/**
 * Migration 0011: the provider's operators (issue 20), apart from subscribers. `operators` (role, password hash,
 * the TOTP secret sealed under the service key, the last TOTP step used so a code works once), their hashed
 * single-use recovery codes, one-time enrolment tokens and short sessions; `partners` (retail shops, the web shop)
 * with their API keys (SHA-256 only, revocable) and a web shop's webhook signing secret (sealed: the service must
 * compute the HMAC), the webhook deliveries seen (replays refused); `voucher_batch_ops` (who made a batch, its PINs sealed until the
 * one export, the partner it was shipped to); and `ops_audit`, the operators' audit log, append-only: triggers
 * refuse every UPDATE and DELETE on both SQLite and PostgreSQL.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function operators(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('partners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('webhook_secret_enc', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('signature_hash', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('operators')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('totp_secret_enc', 'text')
        .addColumn('totp_last_step', 'integer')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('operator_recovery_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute()
      await db.schema
        .createIndex('operator_recovery_codes_operator')
        .on('operator_recovery_codes')
        .column('operator_id')
        .execute()
      await db.schema
        .createTable('operator_enrolments')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id'))
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('consumed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('operator_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('ip', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute()
      await db.schema
        .createTable('partner_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute()
      await db.schema
        .createTable('voucher_batch_ops')
        .addColumn('batch_id', 'text', (c) => c.primaryKey().references('voucher_batches.id'))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('pins_sealed', 'text')
        .addColumn('pins_exported_at', 'text')
        .addColumn('pins_exported_by', 'text')
        .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
        .addColumn('shipped_at', 'text')
        .execute()
      await db.schema
        .createTable('ops_audit')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text')
        .addColumn('actor_role', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('reason', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('ip', 'text')
        .execute()
      await db.schema.createIndex('ops_audit_at').on('ops_audit').column('at').execute()
      await db.schema.createIndex('ops_audit_target').on('ops_audit').columns(['target', 'at']).execute()
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION ops_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'ops_audit is append-only'; END $$`.execute(db)
        await sql`CREATE TRIGGER ops_audit_no_change BEFORE UPDATE OR DELETE ON ops_audit
          FOR EACH ROW EXECUTE FUNCTION ops_audit_append_only()`.execute(db)
        await sql`CREATE TRIGGER ops_audit_no_truncate BEFORE TRUNCATE ON ops_audit
          FOR EACH STATEMENT EXECUTE FUNCTION ops_audit_append_only()`.execute(db)
      } else {
        await sql`CREATE TRIGGER ops_audit_no_update BEFORE UPDATE ON ops_audit
          BEGIN SELECT RAISE(ABORT, 'ops_audit is append-only'); END`.execute(db)
        await sql`CREATE TRIGGER ops_audit_no_delete BEFORE DELETE ON ops_audit
          BEGIN SELECT RAISE(ABORT, 'ops_audit is append-only'); END`.execute(db)
      }
    }
  }
}
