/**
 * A fresh, empty service database on one backend for a migration test (which migrates it step by step itself):
 * PostgreSQL in the test cluster under a name of its own, SQLite in a temporary folder. `close()` closes what was
 * opened and removes the folders. `accountRow` is an account as the tables before any migration test's step hold it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { type ServiceDatabase, openDatabase } from '../../src/server/db/database'
import { createDatabase } from './postgres'
import type { Backend } from './service'

export function migrationDatabases(backend: Backend, name: string) {
  const dirs: string[] = []
  const opened: ServiceDatabase[] = []
  return {
    async open(): Promise<ServiceDatabase> {
      let database: ServiceDatabase
      if (backend === 'postgres')
        database = openDatabase(
          await createDatabase(inject('postgresUrl'), `dt_${name}_${process.pid}_${Date.now()}`)
        )
      else {
        const dir = mkdtempSync(join(tmpdir(), `dialtone-${name}-`))
        dirs.push(dir)
        database = openDatabase(`sqlite:${join(dir, 'service.db')}`)
      }
      opened.push(database)
      return database
    },
    async close(): Promise<void> {
      for (const d of opened.splice(0)) await d.close()
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
    }
  }
}

/** An individual account's row, written straight to the table (a migration test has no service to make one). */
export const accountRow = (id: string, at: string) => ({
  id,
  type: 'individual' as const,
  status: 'active' as const,
  name: id,
  company: null,
  contact_phone: null,
  billing_address: null,
  notifications: '{}',
  password_hash: 'x',
  timezone: 'UTC',
  created_at: at,
  updated_at: at
})
