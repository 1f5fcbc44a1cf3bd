/**
 * The SQLite file locked by another process (a second service instance, Kamailio, a backup tool): a write that
 * waits out the busy timeout answers 503 with Retry-After and reason database-busy, and changes nothing; a lock
 * released within the timeout only delays the answer; after the lock is gone, the same request succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestService, startTestService } from '../../support/service'
import { holdLock } from '../../support/sqlite-lock'
import { type TrialLine, tableCounts, trialLine } from '../../support/service-flows'

let svc: TestService
let line: TrialLine
beforeAll(async () => {
  svc = await startTestService('sqlite')
  line = await trialLine(svc)
})
afterAll(() => svc.close())

const contact = (name: string) =>
  svc.api<{ error?: { code: string; message: string; reason?: string } }>(
    'PATCH',
    '/v1/account/contact',
    { name },
    line.token
  )

describe('a locked SQLite file', () => {
  it('answers 503 database-busy with Retry-After after the busy timeout, changing nothing, then recovers', async () => {
    const file = svc.service.database.sqliteFile ?? ''
    const before = await tableCounts(svc)
    const holder = await holdLock(file, 7000)
    const t0 = Date.now()
    const r = await contact('Locked Out')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4500)
    expect(r.status).toBe(503)
    expect(r.headers.get('retry-after')).toBe('2')
    expect(r.body.error).toMatchObject({ code: 'unavailable', reason: 'database-busy' })
    expect(r.body.error?.message).toContain('nothing was changed')
    await new Promise((resolve) => holder.once('exit', resolve))
    expect(await tableCounts(svc)).toEqual(before)
    const profile = await svc.api<{ contact: { name: string } }>('GET', '/v1/account', undefined, line.token)
    expect(profile.body.contact.name).not.toBe('Locked Out')
    expect((await contact('Ada After')).status).toBe(200)
  }, 20_000)

  it('waits out a short lock and then succeeds', async () => {
    const holder = await holdLock(svc.service.database.sqliteFile ?? '', 800)
    const t0 = Date.now()
    const r = await contact('Ada Patient')
    expect(r.status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500)
    await new Promise((resolve) => holder.once('exit', resolve))
  }, 20_000)
})
