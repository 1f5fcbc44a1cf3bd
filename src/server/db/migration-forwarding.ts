/**
 * Migration 0020: call forwarding (issue 23). The service keeps each line's forwarding rules in `line_forwarding`
 * (one row per line, numbers in E.164 with '+'); Kamailio reads them per call through the view
 * `kamailio_forwarding`, keyed by the called line's SIP user, with the numbers as digits without '+' (what a
 * Request-URI carries), the no-answer time in seconds (rings x 6 s, a North American ring cycle) and whether the
 * line may forward out to a carrier (it pays for that leg: in service and calls not held). On PostgreSQL Kamailio's
 * role is granted the view alone (resources/kamailio/postgres-role.sql).
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function forwarding(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('line_forwarding')
        .addColumn('line_id', 'text', (c) => c.primaryKey().references('lines.id'))
        .addColumn('always_to', 'text')
        .addColumn('busy_to', 'text')
        .addColumn('no_answer_to', 'text')
        .addColumn('no_answer_rings', 'integer', (c) => c.notNull().defaultTo(4))
        .addColumn('unavailable_to', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      // Empty strings, not NULLs, for a rule that is off: avpops leaves a NULL column's AVP unset, and the config
      // tests every rule with one pattern (digits or nothing).
      await sql`CREATE VIEW kamailio_forwarding AS
        SELECT s.username AS username,
          COALESCE(substr(f.always_to, 2), '') AS always_to,
          COALESCE(substr(f.busy_to, 2), '') AS busy_to,
          COALESCE(substr(f.no_answer_to, 2), '') AS no_answer_to,
          f.no_answer_rings * 6 AS no_answer_s,
          COALESCE(substr(f.unavailable_to, 2), '') AS unavailable_to,
          CASE WHEN l.status = 'in_service' AND COALESCE(sub.calls_held, 0) = 0 THEN 1 ELSE 0 END AS may_forward_out
        FROM line_forwarding f
        JOIN lines l ON l.id = f.line_id
        JOIN sip_accounts s ON s.line_id = f.line_id
        LEFT JOIN subscriber sub ON sub.username = s.username`.execute(db)
    }
  }
}
