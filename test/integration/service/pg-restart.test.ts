/**
 * PostgreSQL dropping the service's connections (a restart, an administrator's pg_terminate_backend, a network
 * that drops) must not stop the service: idle or in the middle of a statement, the pool forgets the dead
 * connections (the statement fails with the error) and the next request opens new ones.
 */
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openDatabase } from '../../../src/server/db/database'
import { type TestService, startTestService } from '../../support/service'
import { tcpRelay } from '../../support/tcp-relay'

let svc: TestService
beforeAll(async () => {
  svc = await startTestService('postgres')
})
afterAll(() => svc.close())

const signIn = () =>
  svc.api('POST', '/v1/auth/sign-in', { identifier: 'nobody@example.test', password: 'not the password 1' })

describe('PostgreSQL dropping the service’s connections', () => {
  it('keeps the service up; the next request works on new connections', async () => {
    const db = svc.service.ctx.db
    const name = (await sql<{ d: string }>`SELECT current_database() AS d`.execute(db)).rows[0]?.d ?? ''
    expect((await signIn()).status).toBe(401)
    // Only this service's database: other suites run beside this one.
    const admin = new pg.Client({ connectionString: inject('postgresUrl') })
    await admin.connect()
    const dropped = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name]
    )
    await admin.end()
    expect(dropped.rowCount).toBeGreaterThan(0)
    await new Promise((r) => setTimeout(r, 300))
    expect((await signIn()).status).toBe(401)
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows[0]?.one).toBe(1)
  })

  it('keeps the service up when the network drops in the middle of a statement', async () => {
    // The service's own database code (openDatabase) on a connection through a relay the test cuts.
    const name =
      (await sql<{ d: string }>`SELECT current_database() AS d`.execute(svc.service.ctx.db)).rows[0]?.d ?? ''
    const target = new URL(inject('postgresUrl'))
    const relay = await tcpRelay(target.hostname, Number(target.port))
    const database = openDatabase(`postgres://postgres@127.0.0.1:${relay.port}/${name}`)
    try {
      const running = sql`SELECT pg_sleep(2) AS slept`.execute(database.db)
      await new Promise((r) => setTimeout(r, 300))
      relay.cut()
      // The statement fails; the connection's end must not be an uncaught error (that would stop the whole
      // service: vitest reports it and fails the run).
      await expect(running).rejects.toThrow(/Connection terminated/)
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db)).rows[0]?.one).toBe(1)
    } finally {
      await database.close()
      await relay.close()
    }
  })
})
