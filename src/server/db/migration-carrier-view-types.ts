/**
 * Migration 0022: Kamailio's carrier views made again (issue 22, emergency gateways and PSAP callbacks).
 * - `address` tags each source with its route set ("911:psap-a"): permissions puts the tag of the address an INVITE
 *   came from into $avp(carrier_tag), so Kamailio tells a PSAP calling back (route set 911, the emergency
 *   gateways) from a carrier, and lets the PSAP's call ring even a line whose account blocked that number.
 * - On PostgreSQL, string columns are VARCHAR: Kamailio's db_postgres hands a `text` column to modules as a BLOB,
 *   and permissions refuses a row whose ip_addr or tag is not a string ("invalid record": Kamailio did not start
 *   once a gateway could call in).
 * PostgreSQL cannot change a view column's type in place, so each view is dropped and created again, and the
 * SELECT grants it had (Kamailio's role, resources/kamailio/postgres-role.sql) are given back. The rows and what
 * they mean do not change.
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
      CAST(CAST(route_set AS VARCHAR(8)) || ':' || name AS VARCHAR(64)) AS tag
    FROM carrier_gateways WHERE state = 'active' AND direction IN ('in', 'both')`
} as const

/** SQLite keeps no types on view columns: only the tag changes there. */
const SQLITE_ADDRESS = sql`CREATE VIEW address AS
  SELECT id, 1 AS grp, host AS ip_addr, 32 AS mask, port, CAST(route_set AS TEXT) || ':' || name AS tag
  FROM carrier_gateways WHERE state = 'active' AND direction IN ('in', 'both')`

export function carrierViewTypes(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (dialect !== 'postgres') {
        await sql`DROP VIEW address`.execute(db)
        await SQLITE_ADDRESS.execute(db)
        return
      }
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
