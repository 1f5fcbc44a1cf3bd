/**
 * Migration 0032 (grant through) on SQLite and PostgreSQL, from a database that already holds grants: every grant
 * survives, the old index on `line_id` is gone and the new one (a line's live grants by end) is what a line's
 * paid-through reads, and paid-through still skips a voided grant, even the latest one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Migrator, sql } from 'kysely'
import { afterAll, describe, expect, it, inject } from 'vitest'
import { type ServiceDatabase, migrateToLatest, openDatabase } from '../../../src/server/db/database'
import { migrationProvider } from '../../../src/server/db/migrations'
import { createDatabase } from '../../support/postgres'
import { BACKENDS } from '../../support/service'

const NOW = '2026-12-01T00:00:00.000Z'

describe.each(BACKENDS)('grant-through migration on %s', (backend) => {
  const dirs: string[] = []
  let database: ServiceDatabase | null = null
  afterAll(async () => {
    await database?.close()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  async function open(): Promise<ServiceDatabase> {
    if (backend === 'postgres')
      return openDatabase(
        await createDatabase(inject('postgresUrl'), `dt_through_${process.pid}_${Date.now()}`)
      )
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-through-'))
    dirs.push(dir)
    return openDatabase(`sqlite:${join(dir, 'service.db')}`)
  }

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
    database = await open()
    const { db, dialect } = database
    const step = await new Migrator({ db, provider: migrationProvider(dialect) }).migrateTo('0031_order_key')
    expect(step.error).toBeUndefined()
    await db
      .insertInto('accounts')
      .values({
        id: 'acc_a',
        type: 'individual',
        status: 'active',
        name: 'a',
        company: null,
        contact_phone: null,
        billing_address: null,
        notifications: '{}',
        password_hash: 'x',
        timezone: 'UTC',
        created_at: NOW,
        updated_at: NOW
      })
      .execute()
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

    const through = (lineId: string) => sql<{ m: string | null }>`
      SELECT max(ends_at) AS m FROM coverage_grants WHERE line_id = ${lineId} AND voided_at IS NULL`
    expect((await through('lin_a').execute(db)).rows[0]?.m).toBe('2027-03-01T00:00:00.000Z')
    expect((await through('lin_b').execute(db)).rows[0]?.m).toBe('2027-02-01T00:00:00.000Z')
    // The plan reads the new index (PostgreSQL told not to scan the table, which it would for four rows).
    const plan =
      dialect === 'postgres'
        ? await db.connection().execute(async (c) => {
            await sql`SET enable_seqscan = off`.execute(c)
            const p = await sql<Record<string, string>>`EXPLAIN ${through('lin_a')}`.execute(c)
            await sql`RESET enable_seqscan`.execute(c)
            return p.rows.map((r) => r['QUERY PLAN']).join('\n')
          })
        : (await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${through('lin_a')}`.execute(db)).rows
            .map((r) => r.detail)
            .join('\n')
    expect(plan).toContain('coverage_grants_live')
  })
})
