/**
 * One service process that only runs the background jobs, for the N-process tests: it opens the service on the
 * given database and data folder (the same service key as its peers) with a ManualClock, prints `ready`, then for
 * each line `<ISO time> <passes>` on stdin sets its clock and runs that many passes of every job (what its timers
 * would do), printing `done` after each. Two of these started together are two service processes on one
 * PostgreSQL database, racing for the same work.
 * Run: node --import tsx test/support/jobs-process.ts <databaseUrl> <dataDir>
 */
import { createInterface } from 'node:readline'
import { ManualClock } from '../../src/server/clock'
import { loadConfig } from '../../src/server/config'
import { startService } from '../../src/server/service'

const [databaseUrl, dataDir] = process.argv.slice(2)
if (!databaseUrl || !dataDir) throw new Error('usage: jobs-process.ts <databaseUrl> <dataDir>')
const clock = new ManualClock(new Date())
const service = await startService(
  { ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dataDir), databaseUrl, jobs: false },
  { clock, log: { info: () => undefined, warn: (m) => console.error(m), error: (m) => console.error(m) } }
)
process.stdout.write('ready\n')
for await (const line of createInterface({ input: process.stdin })) {
  const [at, passes] = line.split(' ')
  clock.set(new Date(at ?? ''))
  for (let i = 0; i < Number(passes); i++) await service.runJobs()
  process.stdout.write('done\n')
}
await service.close()
