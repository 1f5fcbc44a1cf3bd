/**
 * The outbox sender's dev-mailbox retention on SQLite and PostgreSQL (src/server/mail/sender.ts): with nothing to
 * deliver a channel, its messages stay readable for a day and then lose their bodies, once. The flush runs every
 * second, so a body already forgotten is not written again: rewriting every row older than a day on each flush
 * made the flush grow with the outbox.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('the dev mailbox’s retention on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  /** Rows written so far: SQLite's count of changes on the connection; PostgreSQL's row versions of the outbox. */
  const writes = async (): Promise<string> => {
    const db = svc.service.ctx.db
    if (backend === 'sqlite')
      return String((await sql<{ n: number }>`SELECT total_changes() AS n`.execute(db)).rows[0]?.n)
    const rows = await sql<{
      v: string
    }>`SELECT id || ':' || xmin::text AS v FROM outbox ORDER BY id`.execute(db)
    return rows.rows.map((r) => r.v).join(',')
  }
  const bodies = async (recipient: string) =>
    (
      await svc.service.ctx.db
        .selectFrom('outbox')
        .select('body')
        .where('recipient', '=', recipient)
        .execute()
    ).map((r) => r.body)

  it('forgets a body a day old once, and writes nothing on the flushes after', async () => {
    svc.clock.set('2026-12-01T12:00:00.000Z')
    const line = await trialLine(svc)
    await svc.service.outbox.flush()
    expect((await bodies(line.email)).length).toBeGreaterThan(0)
    expect((await bodies(line.email)).every((b) => b !== null)).toBe(true)
    svc.clock.set('2026-12-02T13:00:00.000Z')
    await svc.service.outbox.flush()
    expect((await bodies(line.email)).every((b) => b === null)).toBe(true)
    const before = await writes()
    await svc.service.outbox.flush()
    await svc.service.outbox.flush()
    expect(await writes()).toBe(before)
  })
})
