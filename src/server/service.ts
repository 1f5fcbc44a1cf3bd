/**
 * Starting and stopping the whole service: open and migrate the database, seed the dev number pool (and, in
 * development mode only, the development dongles' keys into the manufacturing registry), build the
 * HTTP app, and run the background jobs (outbox delivery, the sweeper that lapses lines whose coverage ran
 * out, the accounting import, billing, and the daily retention job). Used by main.ts, the dev stack and the integration tests alike.
 */
import { join } from 'node:path'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { buildServer } from './app'
import { seedCatalog } from './billing/catalog'
import { checkReminderWindows } from './billing/reminder-window'
import { BillingPassError, runBillingJobs } from './billing/jobs'
import { reasonOf } from './job-items'
import { type Clock, DAY, systemClock } from './clock'
import type { ServiceConfig } from './config'
import { type Logger, type ServiceContext, createContext, silentLogger } from './context'
import { type ServiceDatabase, migrateToLatest, openDatabase } from './db/database'
import { durabilityWarnings, readDurability } from './db/durability'
import { postgresLineChanges } from './provisioning/line-changes'
import { trackConnections } from './http/idle-connections'
import { seedDevelopmentDongles } from './devices/registry'
import { exclusiveJob } from './job-lock'
import { type OutboxSender, createOutboxSender } from './mail/sender'
import type { SmsGateway } from './mail/sms'
import { seedNumberPool } from './numbers/pool'
import { importFlatstore, importPostgresAcc } from './provisioning/accounting'
import { sweepLines } from './provisioning/line-sweep'
import { runRetention } from './retention'
import type { VoicemailConfig } from './voicemail/config'
import { type VoicemailServer, startVoicemail } from './voicemail/server'

/** How long after a start the daily retention job first runs. */
const RETENTION_FIRST_MS = 60_000

/** How long a closing service lets requests in flight finish before it drops their connections. */
const CLOSE_GRACE_MS = 5000

export interface RunningService {
  readonly app: FastifyInstance
  readonly ctx: ServiceContext
  readonly database: ServiceDatabase
  readonly outbox: OutboxSender
  /** One pass of every background job but the daily one (tests call it instead of waiting for timers). */
  runJobs(): Promise<void>
  /** One pass of the daily retention job (./retention.ts). */
  runRetention(): Promise<void>
  close(): Promise<void>
}

export async function startService(
  config: ServiceConfig,
  options: {
    clock?: Clock
    log?: Logger
    fastifyLogger?: FastifyBaseLogger
    allowedOrigins?: readonly string[]
    /** Where SMS go; none (the embedded default) keeps them in the dev mailbox. */
    sms?: SmsGateway
    /** The voicemail server (baresip lines, SIP front); none: Kamailio has no VOICEMAIL_URI to send calls to. */
    voicemail?: VoicemailConfig | null
  } = {}
): Promise<RunningService> {
  // Billing numbers come from code, not the environment: a window that cannot work is refused before anything opens.
  checkReminderWindows(config.billing)
  const database = openDatabase(config.databaseUrl, { durable: config.mode === 'production' })
  await migrateToLatest(database)
  const log = options.log ?? silentLogger
  if (database.dialect === 'postgres')
    for (const w of durabilityWarnings(await readDurability(database.db))) log.warn(w)
  const ctx = createContext({
    db: database.db,
    dialect: database.dialect,
    ...(database.batch ? { batch: database.batch } : {}),
    clock: options.clock ?? systemClock,
    config,
    log,
    // Every process hears every process's changes through the database; SQLite's one process, in memory.
    ...(database.dialect === 'postgres'
      ? { lineChanges: postgresLineChanges(config.databaseUrl, (m) => log.warn(m)) }
      : {})
  })
  if (config.seedNumberPool) await seedNumberPool(ctx)
  await seedCatalog(ctx)
  // The virtual dongle's and the rig's published keys: trusted by a development service only.
  if (config.mode === 'development') await seedDevelopmentDongles(ctx)
  const outbox = createOutboxSender(ctx.db, ctx.clock, config.smtp, (m) => log.warn(m), options.sms ?? null)
  const app = await buildServer(ctx, {
    ...(options.fastifyLogger ? { logger: options.fastifyLogger } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {})
  })
  const connections = trackConnections(app.server)

  const voicemail: VoicemailServer | null = options.voicemail
    ? await startVoicemail(ctx, options.voicemail, join(config.dataDir, 'voicemail'))
    : null

  // Each job one process at a time across the service's processes (./job-lock.ts).
  const outboxJob = () => exclusiveJob(ctx, 'outbox', () => outbox.flush())
  const sweepJob = () => exclusiveJob(ctx, 'line-sweeper', () => sweepLines(ctx))
  const accountingJob = () =>
    exclusiveJob(ctx, 'accounting-import', async () => {
      if (config.sip.accountingDir) await importFlatstore(ctx, config.sip.accountingDir)
      if (database.dialect === 'postgres') await importPostgresAcc(ctx)
    })
  const billingJob = () => exclusiveJob(ctx, 'billing', () => runBillingJobs(ctx))
  const retentionJob = () => exclusiveJob(ctx, 'retention', () => runRetention(ctx))
  async function runJobs(): Promise<void> {
    await outboxJob()
    await sweepJob()
    await accountingJob()
    await billingJob()
  }
  const timers: NodeJS.Timeout[] = []
  if (config.jobs) {
    // `first`: the first run that long after the start, then every `ms`.
    const every = (ms: number, job: () => Promise<unknown>, name: string, first = ms) => {
      let busy = false
      const tick = () => {
        if (busy) return
        busy = true
        job()
          .catch((err: unknown) =>
            // A code, not the message (job-items.ts says why); a billing pass names the jobs that failed.
            log.error(`${name} failed: ${err instanceof BillingPassError ? err.message : reasonOf(err)}`)
          )
          .finally(() => (busy = false))
      }
      const start = setTimeout(() => {
        tick()
        const t = setInterval(tick, ms)
        t.unref()
        timers.push(t)
      }, first)
      start.unref()
      timers.push(start)
    }
    every(1000, outboxJob, 'outbox delivery')
    every(30_000, sweepJob, 'line sweeper')
    every(5000, accountingJob, 'accounting import')
    every(30_000, billingJob, 'billing jobs')
    // Daily, first a minute after the start: a service restarted more often than daily still runs it.
    every(DAY, retentionJob, 'retention job', RETENTION_FIRST_MS)
  }
  return {
    app,
    ctx,
    database,
    outbox,
    runJobs,
    runRetention: async () => {
      await retentionJob()
    },
    async close() {
      for (const t of timers) clearInterval(t)
      await voicemail?.stop()
      // Long polls answer now rather than hold the close for their whole hold.
      await ctx.lineChanges.close()
      // Connections without a request go now; requests in flight get CLOSE_GRACE_MS to finish; from then on, every
      // second, connections without a request being served are dropped (./http/idle-connections.ts says why Node's
      // own close does not), and the requests still running finish before the database closes.
      let drop: NodeJS.Timeout | undefined
      const grace = setTimeout(() => {
        connections.dropIdle()
        drop = setInterval(() => connections.dropIdle(), 1000)
      }, CLOSE_GRACE_MS)
      const closing = app.close()
      connections.dropUnused()
      await closing
      clearTimeout(grace)
      clearInterval(drop)
      outbox.close()
      await database.close()
    }
  }
}
