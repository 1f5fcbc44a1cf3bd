/**
 * Migration 0003 (Kamailio provisioning): Kamailio's own tables in the service's database as Kamailio 5.6 expects
 * them, each with the table version it checks (`version`, `subscriber`; on PostgreSQL also `acc` and
 * `missed_calls`, which Kamailio writes there directly; the one dialect difference is their auto-increment id),
 * and the service's side: a line's SIP account, the call records imported from Kamailio's accounting, and where the
 * import of each accounting file stopped. Moved here from migrations.ts unchanged: a migration's code does not
 * change once it has run.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

/** Kamailio 5.6's expected table versions (auth_db checks subscriber at startup; acc does not check). */
export const KAMAILIO_TABLE_VERSIONS = { version: 1, subscriber: 7, acc: 5, missed_calls: 4 } as const

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function kamailio(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      const idColumn = dialect === 'postgres' ? 'serial' : 'integer'
      await db.schema
        .createTable('version')
        .addColumn('id', idColumn, (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
        )
        .addColumn('table_name', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('table_version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema
        .createTable('subscriber')
        .addColumn('id', idColumn, (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
        )
        .addColumn('username', 'varchar(64)', (c) => c.notNull().defaultTo(''))
        .addColumn('domain', 'varchar(64)', (c) => c.notNull().defaultTo(''))
        .addColumn('password', 'varchar(64)', (c) => c.notNull().defaultTo(''))
        .addColumn('ha1', 'varchar(128)', (c) => c.notNull().defaultTo(''))
        .addColumn('ha1b', 'varchar(128)', (c) => c.notNull().defaultTo(''))
        .addUniqueConstraint('account_idx', ['username', 'domain'])
        .execute()
      await db.schema.createIndex('username_idx').on('subscriber').column('username').execute()
      const versions: { table_name: string; table_version: number }[] = [
        { table_name: 'version', table_version: KAMAILIO_TABLE_VERSIONS.version },
        { table_name: 'subscriber', table_version: KAMAILIO_TABLE_VERSIONS.subscriber }
      ]
      if (dialect === 'postgres') {
        // At scale Kamailio writes accounting straight into PostgreSQL (no loss there, unlike SQLite 5.6).
        for (const table of ['acc', 'missed_calls']) {
          await db.schema
            .createTable(table)
            .addColumn('id', 'serial', (c) => c.primaryKey())
            .addColumn('method', 'varchar(16)', (c) => c.notNull().defaultTo(''))
            .addColumn('from_tag', 'varchar(128)', (c) => c.notNull().defaultTo(''))
            .addColumn('to_tag', 'varchar(128)', (c) => c.notNull().defaultTo(''))
            .addColumn('callid', 'varchar(255)', (c) => c.notNull().defaultTo(''))
            .addColumn('sip_code', 'varchar(3)', (c) => c.notNull().defaultTo(''))
            .addColumn('sip_reason', 'varchar(128)', (c) => c.notNull().defaultTo(''))
            .addColumn('time', sql`timestamp without time zone`, (c) => c.notNull())
            .addColumn('src_user', 'varchar(64)', (c) => c.notNull().defaultTo(''))
            .addColumn('dst_user', 'varchar(64)', (c) => c.notNull().defaultTo(''))
            .execute()
          await db.schema.createIndex(`${table}_callid_idx`).on(table).column('callid').execute()
        }
        versions.push(
          { table_name: 'acc', table_version: KAMAILIO_TABLE_VERSIONS.acc },
          { table_name: 'missed_calls', table_version: KAMAILIO_TABLE_VERSIONS.missed_calls }
        )
      }
      await db.insertInto('version').values(versions).execute()
      await db.schema
        .createTable('sip_accounts')
        .addColumn('line_id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('rotated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('call_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source_key', 'text', (c) => c.notNull().unique())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('from_tag', 'text', (c) => c.notNull())
        .addColumn('to_tag', 'text', (c) => c.notNull())
        .addColumn('call_id', 'text', (c) => c.notNull())
        .addColumn('sip_code', 'text', (c) => c.notNull())
        .addColumn('sip_reason', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('src_user', 'text', (c) => c.notNull())
        .addColumn('dst_user', 'text', (c) => c.notNull())
        .addColumn('missed', 'integer', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('call_records_call').on('call_records').column('call_id').execute()
      await db.schema
        .createTable('acc_import_state')
        .addColumn('file', 'text', (c) => c.primaryKey())
        .addColumn('offset', 'integer', (c) => c.notNull())
        .execute()
    }
  }
}
