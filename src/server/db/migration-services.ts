/**
 * Migration 0024: connected services (issue 25 part 1). `service_catalog` is what operators offer (a feature,
 * its monthly fee, whether a line starts with it), seeded with today's services: all free but caller-ID
 * withholding by default, so no line's bill changes by this migration. `line_services` keeps a line's switched
 * state per feature (no row: the catalog's default) and which month's fee it paid; `service_switches` is the
 * history. Kamailio reads each line's enforced features through the view `kamailio_services` (1 or 0 per
 * feature, the catalog's default when the line never switched, the built-in default when nothing offers it),
 * keyed by SIP user; on PostgreSQL its role is granted the view alone (resources/kamailio/postgres-role.sql).
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

/** The catalog at the start: code, feature, fee (minor units, USD), on for a new line. */
const SEED: readonly [string, string, number, number][] = [
  ['voicemail', 'voicemail', 0, 1],
  ['call-forwarding', 'forwarding', 0, 1],
  ['caller-id-withheld', 'caller-id-withheld', 150, 0],
  ['international-calling', 'international', 0, 1],
  ['call-waiting', 'call-waiting', 0, 1],
  ['minutes-packs', 'minutes-packs', 0, 1],
  ['star-codes', 'star-codes', 0, 1],
  ['three-way-calling', 'three-way', 0, 1],
  ['call-transfer', 'transfer', 0, 1]
]

/** A feature's state for the view: the line's switch, else the offered catalog entry's default, else `builtin`. */
const state = (feature: string, builtin: number) =>
  sql`COALESCE(
    (SELECT ls.enabled FROM line_services ls WHERE ls.line_id = s.line_id AND ls.feature = ${sql.lit(feature)}),
    (SELECT MAX(c.default_on) FROM service_catalog c WHERE c.feature = ${sql.lit(feature)} AND c.retired_at IS NULL),
    ${sql.lit(builtin)})`

export function services(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('service_catalog')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('feature', 'text', (c) => c.notNull())
        .addColumn('price_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('default_on', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .execute()
      await db.schema
        .createTable('line_services')
        .addColumn('line_id', 'text', (c) => c.notNull().references('lines.id'))
        .addColumn('feature', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('fee_month', 'text')
        .addColumn('fee_price_minor', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('line_services_pk', ['line_id', 'feature'])
        .execute()
      await db.schema
        .createTable('service_switches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('line_id', 'text', (c) => c.notNull().references('lines.id'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('feature', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('amount_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('service_switches_line')
        .on('service_switches')
        .columns(['line_id', 'at'])
        .execute()
      const now = new Date().toISOString()
      await db
        .insertInto('service_catalog')
        .values(
          SEED.map(([code, feature, price, on]) => ({
            code,
            feature,
            price_minor: price,
            currency: 'USD',
            default_on: on,
            created_at: now,
            updated_at: now,
            retired_at: null
          }))
        )
        .execute()
      await sql`CREATE VIEW kamailio_services AS
        SELECT s.username AS username,
          ${state('voicemail', 1)} AS voicemail,
          ${state('international', 1)} AS international,
          ${state('call-waiting', 1)} AS call_waiting,
          ${state('caller-id-withheld', 0)} AS caller_id_withheld
        FROM sip_accounts s`.execute(db)
    }
  }
}
