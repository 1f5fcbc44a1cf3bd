/**
 * Migration 0022: Kamailio's carrier views on PostgreSQL with the column types its modules accept (issue 22).
 * Kamailio's db_postgres hands a `text` column to modules as a BLOB, and the permissions module refuses a row of
 * `address` whose ip_addr or tag is not a string ("invalid record": Kamailio did not start once a gateway could
 * call in). The views are made again with VARCHAR string columns; the rows and what they mean do not change.
 * PostgreSQL cannot change a view column's type in place, so each view is dropped and created again, and the
 * SELECT grants it had (Kamailio's role, resources/kamailio/postgres-role.sql) are given back. SQLite has no
 * such types: nothing to do there.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

const VIEWS = {
  dispatcher: sql`SELECT id, route_set AS setid,
      CAST('sip:' || host || ':' || CAST(port AS TEXT) || ';transport=' || transport AS VARCHAR(192)) AS destination,
      0 AS flags, priority, CAST('' AS VARCHAR(128)) AS attrs, CAST(name AS VARCHAR(64)) AS description
    FROM carrier_gateways WHERE state = 'active' AND direction IN ('out', 'both')`,
  address: sql`SELECT id, 1 AS grp, CAST(host AS VARCHAR(50)) AS ip_addr, 32 AS mask, port,
      CAST(name AS VARCHAR(64)) AS tag
    FROM carrier_gateways WHERE state = 'active' AND direction IN ('in', 'both')`
} as const

export function carrierViewTypes(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (dialect !== 'postgres') return
      for (const [name, body] of Object.entries(VIEWS)) {
        const grantees = await sql<{ grantee: string }>`
          SELECT DISTINCT grantee FROM information_schema.role_table_grants
          WHERE table_name = ${name} AND privilege_type = 'SELECT' AND grantee <> current_user`.execute(db)
        await sql`DROP VIEW ${sql.table(name)}`.execute(db)
        await sql`CREATE VIEW ${sql.table(name)} AS ${body}`.execute(db)
        for (const { grantee } of grantees.rows)
          await sql`GRANT SELECT ON ${sql.table(name)} TO ${sql.id(grantee)}`.execute(db)
      }
    }
  }
}
