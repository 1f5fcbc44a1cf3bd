/**
 * Migration 0010 (email claims) on SQLite and PostgreSQL, from a database that already holds accounts: every email
 * row survives (SQLite rebuilds the table), and afterwards the schema itself enforces the rule the code relies on —
 * several accounts may claim one unconfirmed address, but a confirmed address has one owner and an account lists an
 * address once.
 */
import { Migrator } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../../src/server/db/database'
import { migrationProvider } from '../../../src/server/db/migrations'
import { accountRow, migrationDatabases } from '../../support/migration-db'
import { BACKENDS } from '../../support/service'

const NOW = '2026-12-01T00:00:00.000Z'

describe.each(BACKENDS)('email claims migration on %s', (backend) => {
  const databases = migrationDatabases(backend, 'claims')
  afterAll(() => databases.close())

  const account = (id: string) => accountRow(id, NOW)
  const email = (id: string, accountId: string, address: string, verified: boolean) => ({
    id,
    account_id: accountId,
    address,
    role: 'secondary' as const,
    verified_at: verified ? NOW : null,
    preferred: 0,
    created_at: NOW
  })

  it('keeps every email row and then allows several claims but one owner per address', async () => {
    const database = await databases.open()
    const { db, dialect } = database
    const before = new Migrator({ db, provider: migrationProvider(dialect) })
    const step = await before.migrateTo('0009_device_registry')
    expect(step.error).toBeUndefined()
    await db
      .insertInto('accounts')
      .values([account('acc_a'), account('acc_b'), account('acc_c')])
      .execute()
    const rows = [
      { ...email('eml_1', 'acc_a', 'ada@example.test', true), role: 'original' as const, preferred: 1 },
      email('eml_2', 'acc_a', 'ada.work@example.test', false),
      { ...email('eml_3', 'acc_b', 'bob@example.test', false), role: 'original' as const, preferred: 1 }
    ]
    await db.insertInto('account_emails').values(rows).execute()

    expect(await migrateToLatest(database)).toContain('0010_email_claims')
    expect(await db.selectFrom('account_emails').selectAll().orderBy('id').execute()).toEqual(rows)

    // Another account may claim an address, confirmed elsewhere or not: the claim is not ownership.
    await db
      .insertInto('account_emails')
      .values([
        email('eml_4', 'acc_c', 'ada@example.test', false),
        email('eml_5', 'acc_c', 'bob@example.test', false)
      ])
      .execute()
    // But a confirmed address has one owner, and an account lists an address once.
    await expect(
      db
        .insertInto('account_emails')
        .values(email('eml_6', 'acc_b', 'ada@example.test', true))
        .execute()
    ).rejects.toThrow()
    await expect(
      db.updateTable('account_emails').set({ verified_at: NOW }).where('id', '=', 'eml_4').execute()
    ).rejects.toThrow()
    await expect(
      db
        .insertInto('account_emails')
        .values(email('eml_7', 'acc_c', 'bob@example.test', false))
        .execute()
    ).rejects.toThrow()
    // Confirming the one claim nobody else confirmed works.
    await db.updateTable('account_emails').set({ verified_at: NOW }).where('id', '=', 'eml_5').execute()
  })
})
