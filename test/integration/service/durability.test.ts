/**
 * What the money's crash rules ask of the database (src/server/db/durability.ts): a production service syncs every
 * SQLite commit (`synchronous = FULL`; development keeps NORMAL); a service on PostgreSQL says at start when the
 * server would lose or tear paid orders in a crash. The tests' cluster runs with fsync, synchronous_commit and
 * full_page_writes off, so a service started on it logs all three; PostgreSQL's defaults (on, and
 * synchronous_commit's other durable levels) log nothing; SQLite is not asked.
 */
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { durabilityWarnings, readDurability } from '../../../src/server/db/durability'
import { type TestService, startTestService } from '../../support/service'

const DURABLE = { fsync: 'on', synchronousCommit: 'on', fullPageWrites: 'on' }
const saidOf = (svc: TestService) => svc.logged.filter((m) => m.startsWith('PostgreSQL runs with'))

describe('the database as durable as the money needs', () => {
  const services: TestService[] = []
  const start = async (...args: Parameters<typeof startTestService>) => {
    const svc = await startTestService(...args)
    services.push(svc)
    return svc
  }
  afterAll(async () => {
    for (const s of services) await s.close()
  })

  it('a service on the tests’ PostgreSQL (all three off) says each once', async () => {
    const svc = await start('postgres')
    expect(await readDurability(svc.service.ctx.db)).toEqual({
      fsync: 'off',
      synchronousCommit: 'off',
      fullPageWrites: 'off'
    })
    const said = saidOf(svc)
    expect(said).toHaveLength(3)
    expect(said[0]).toContain('synchronous_commit = off')
    expect(said[1]).toContain('fsync = off')
    expect(said[2]).toContain('full_page_writes = off')
  })

  it('durable settings say nothing; each one off is said', () => {
    for (const synchronousCommit of ['on', 'local', 'remote_write', 'remote_apply'])
      expect(durabilityWarnings({ ...DURABLE, synchronousCommit })).toEqual([])
    expect(durabilityWarnings({ ...DURABLE, fsync: 'off' })).toHaveLength(1)
    expect(durabilityWarnings({ ...DURABLE, synchronousCommit: 'off' })).toHaveLength(1)
    expect(durabilityWarnings({ ...DURABLE, fullPageWrites: 'off' })).toHaveLength(1)
  })

  it('SQLite: a production service syncs every commit, a development one does not; neither is asked', async () => {
    const synchronous = async (svc: TestService) =>
      (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(svc.service.ctx.db)).rows[0]
        ?.synchronous
    const production = await start('sqlite', { mode: 'production' })
    const development = await start('sqlite')
    // SQLite's numbers: 2 FULL, 1 NORMAL.
    expect(await synchronous(production)).toBe(2)
    expect(await synchronous(development)).toBe(1)
    expect([...saidOf(production), ...saidOf(development)]).toEqual([])
  })
})
