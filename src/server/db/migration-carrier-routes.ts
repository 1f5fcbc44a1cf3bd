/**
 * Migration 0018: carrier trunks (issue 22). The service owns two tables, written by operators and the dev stack:
 * `carrier_gateways` (a trunk peer: address, route set, priority, direction, state) and `carrier_prefixes`
 * (longest dialled prefix -> route set). Kamailio reads them through views named and shaped as its modules
 * expect, so there is one source of truth and no copy to keep in step:
 *   dispatcher           (dispatcher module, table version 4): the outbound gateways of each route set, by priority;
 *   address              (permissions module, version 6): the source addresses whose INVITEs are carriers' calls;
 *   carrier_prefix_tree  (mtree module, version 1): prefix -> route set.
 * A view holds no rows, so the service's writes are what Kamailio sees on its next reload (RPC dispatcher.reload,
 * permissions.addressReload, mtree.reload). State and direction are words here, Kamailio's flags only in the views.
 */
import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function carrierRoutes(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      const idColumn = dialect === 'postgres' ? 'serial' : 'integer'
      const id = (c: ColumnDefinitionBuilder) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
      await db.schema
        .createTable('carrier_gateways')
        .addColumn('id', idColumn, id)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('route_set', 'integer', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('transport', 'text', (c) => c.notNull().defaultTo('udp'))
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('carrier_prefixes')
        .addColumn('id', idColumn, id)
        // varchar, not text: Kamailio's mtree takes only what its SQLite driver reports as a VARCHAR string.
        .addColumn('prefix', 'varchar(15)', (c) => c.notNull().unique())
        .addColumn('route_set', 'integer', (c) => c.notNull())
        // The route set as mtree's string value, derived by the database so it cannot drift from route_set.
        .addColumn('route_key', 'varchar(8)', (c) =>
          c.generatedAlwaysAs(sql`CAST(route_set AS VARCHAR(8))`).stored()
        )
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
      // Kamailio's own names and columns (kamailio's db_sqlite/postgres *-create.sql), derived from the tables.
      await sql`CREATE VIEW dispatcher AS
        SELECT id, route_set AS setid,
          'sip:' || host || ':' || CAST(port AS TEXT) || ';transport=' || transport AS destination,
          0 AS flags, priority, '' AS attrs, name AS description
        FROM carrier_gateways WHERE state = 'active' AND direction IN ('out', 'both')`.execute(db)
      await sql`CREATE VIEW address AS
        SELECT id, 1 AS grp, host AS ip_addr, 32 AS mask, port, name AS tag
        FROM carrier_gateways WHERE state = 'active' AND direction IN ('in', 'both')`.execute(db)
      await sql`CREATE VIEW carrier_prefix_tree AS
        SELECT id, prefix AS tprefix, route_key AS tvalue FROM carrier_prefixes`.execute(db)
      await db
        .insertInto('version')
        .values([
          { table_name: 'dispatcher', table_version: 4 },
          { table_name: 'address', table_version: 6 },
          { table_name: 'carrier_prefix_tree', table_version: 1 }
        ])
        .execute()
    }
  }
}
