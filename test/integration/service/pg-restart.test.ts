/**
 * PostgreSQL dropping the service's idle connections (a restart, an administrator's pg_terminate_backend) must
 * not stop the service: the pool forgets the dead connections and the next request opens new ones.
 */
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type TestService, startTestService } from '../../support/service'

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
})
