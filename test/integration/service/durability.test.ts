/**
 * The service says at start when PostgreSQL would lose paid orders in a crash (src/server/db/durability.ts): the
 * tests' cluster runs with fsync and synchronous_commit off, so a service started on it logs both; PostgreSQL's
 * defaults (on, and synchronous_commit's other durable levels) log nothing; SQLite is not asked.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { durabilityWarnings, readDurability } from '../../../src/server/db/durability'
import { type TestService, startTestService } from '../../support/service'

describe('PostgreSQL durability said at start', () => {
  const services: TestService[] = []
  afterAll(async () => {
    for (const s of services) await s.close()
  })

  it('a service on the tests’ cluster (fsync and synchronous_commit off) logs both, once each', async () => {
    const svc = await startTestService('postgres')
    services.push(svc)
    expect(await readDurability(svc.service.ctx.db)).toEqual({ fsync: 'off', synchronousCommit: 'off' })
    const said = svc.logged.filter((m) => m.startsWith('PostgreSQL runs with'))
    expect(said).toHaveLength(2)
    expect(said[0]).toContain('synchronous_commit = off')
    expect(said[1]).toContain('fsync = off')
  })

  it('durable settings say nothing; SQLite is not asked', async () => {
    for (const synchronousCommit of ['on', 'local', 'remote_write', 'remote_apply'])
      expect(durabilityWarnings({ fsync: 'on', synchronousCommit })).toEqual([])
    expect(durabilityWarnings({ fsync: 'off', synchronousCommit: 'on' })).toHaveLength(1)
    const svc = await startTestService('sqlite')
    services.push(svc)
    expect(svc.logged.filter((m) => m.startsWith('PostgreSQL runs with'))).toEqual([])
  })
})
