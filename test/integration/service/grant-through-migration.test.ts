/**
 * Migration 0032 (grant through) on SQLite and PostgreSQL, from a database that already holds grants: every grant
 * survives, the old index on `line_id` is gone and the new one (a line's live grants by end) is what a line's
 * paid-through reads, and paid-through still skips a voided grant, even the latest one.
 */
import { CompiledQuery, Migrator, sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { paidThroughQuery } from '../../../src/server/billing/coverage'
import { migrateToLatest } from '../../../src/server/db/database'
import { grantThrough } from '../../../src/server/db/migration-grant-through'
import { migrationProvider } from '../../../src/server/db/migrations'
import { accountRow, migrationDatabases } from '../../support/migration-db'
import { BACKENDS } from '../../support/service'

const NOW = '2026-12-01T00:00:00.000Z'

describe.each(BACKENDS)('grant-through migration on %s', (backend) => {
  const databases = migrationDatabases(backend, 'through')
  afterAll(() => databases.close())

  const grant = (id: string, lineId: string, endsAt: string, voidedAt: string | null = null) => ({
    id,
    line_id: lineId,
    starts_at: NOW,
    ends_at: endsAt,
    source_type: 'order' as const,
    source_id: `ord_${id}:0`,
    voided_at: voidedAt,
    created_at: NOW
  })

  it('keeps every grant and reads paid-through from the live grants by end', async () => {
    const database = await databases.open()
    const { db, dialect } = database
    const step = await new Migrator({ db, provider: migrationProvider(dialect) }).migrateTo('0031_order_key')
    expect(step.error).toBeUndefined()
    await db.insertInto('accounts').values(accountRow('acc_a', NOW)).execute()
    await db
      .insertInto('devices')
      .values({
        id: 'dev_a',
        serial: 'S1',
        model: 'm',
        owner_account_id: 'acc_a',
        created_at: NOW,
        updated_at: NOW
      })
      .execute()
    for (const id of ['lin_a', 'lin_b'])
      await db
        .insertInto('lines')
        .values({ id, account_id: 'acc_a', device_id: 'dev_a', status: 'in_service', created_at: NOW })
        .execute()
    const rows = [
      grant('cov_1', 'lin_a', '2027-01-01T00:00:00.000Z'),
      grant('cov_2', 'lin_a', '2027-03-01T00:00:00.000Z'),
      // The latest grant of lin_a was voided (a refund): paid-through is the one before it.
      grant('cov_3', 'lin_a', '2027-06-01T00:00:00.000Z', NOW),
      grant('cov_4', 'lin_b', '2027-02-01T00:00:00.000Z')
    ]
    await db.insertInto('coverage_grants').values(rows).execute()

    expect(await migrateToLatest(database)).toContain('0032_grant_through')
    expect(await db.selectFrom('coverage_grants').selectAll().orderBy('id').execute()).toEqual(rows)
    const indexes =
      dialect === 'postgres'
        ? (
            await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes
              WHERE tablename = 'coverage_grants'`.execute(db)
          ).rows
        : (
            await sql<{ name: string }>`SELECT name FROM sqlite_master
              WHERE type = 'index' AND tbl_name = 'coverage_grants' AND sql IS NOT NULL`.execute(db)
          ).rows
    expect(indexes.map((i) => i.name)).toContain('coverage_grants_live')
    expect(indexes.map((i) => i.name)).not.toContain('coverage_grants_line')

    // The app's own paid-through query (billing/coverage.ts), its answers and its plan.
    const through = async (lineId: string) => (await paidThroughQuery(db, lineId).executeTakeFirst())?.end
    expect(await through('lin_a')).toBe('2027-03-01T00:00:00.000Z')
    expect(await through('lin_b')).toBe('2027-02-01T00:00:00.000Z')
    const query = paidThroughQuery(db, 'lin_a').compile()
    const explain = (prefix: string) => CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters])
    // PostgreSQL is told not to scan the table, which it would for four rows.
    const plan =
      dialect === 'postgres'
        ? await db.connection().execute(async (c) => {
            await sql`SET enable_seqscan = off`.execute(c)
            const p = await c.executeQuery<Record<string, string>>(explain('EXPLAIN'))
            await sql`RESET enable_seqscan`.execute(c)
            return p.rows.map((r) => r['QUERY PLAN']).join('\n')
          })
        : (await db.executeQuery<{ detail: string }>(explain('EXPLAIN QUERY PLAN'))).rows
            .map((r) => r.detail)
            .join('\n')
    expect(plan).toContain('coverage_grants_live')

    // Run again, as after a crash between its two statements (SQLite migrates outside a transaction): no error.
    await grantThrough().up(db)
    expect(await through('lin_a')).toBe('2027-03-01T00:00:00.000Z')
  })
})
