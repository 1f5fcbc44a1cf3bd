/**
 * The SIP benchmarks' stack: the service on SQLite or PostgreSQL (listening on loopback, jobs off, a manual clock) with a real
 * Kamailio reading its database, and a way to provision lines (trial started and activated, E911 set, SIP
 * credentials read) straight through the service's own functions.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registerer, RegistererState, UserAgent } from 'sip.js'
import { ManualClock } from '../../src/server/clock'
import { loadConfig } from '../../src/server/config'
import type { ServiceContext } from '../../src/server/context'
import { activateTrial, startTrial } from '../../src/server/devices/trial'
import { registerE911 } from '../../src/server/numbers/e911'
import { sipCredentials } from '../../src/server/numbers/lines-service'
import { startService } from '../../src/server/service'
import type { SipCredentials } from '../../src/shared/api/devices'
import { attestDirect } from '../support/dongles'
import { benchUserAgentOptions } from './bench-ua'
import {
  type KamailioInstance,
  type KamailioPlan,
  kamailioRole,
  planKamailio,
  startKamailio
} from '../support/kamailio'

export interface BenchLine {
  readonly email: string
  readonly password: string
  readonly creds: SipCredentials
}

export interface BenchStack {
  readonly plan: KamailioPlan
  readonly kam: KamailioInstance
  /** The service's address, for app brains that sign in over HTTP. */
  readonly base: string
  /** The service's database (the REGISTER benchmark writes its subscribers as the provisioning does). */
  readonly db: ServiceContext['db']
  line(name: string): Promise<BenchLine>
  close(): Promise<void>
}

const IP = '10.9.0.1'

export async function startBenchStack(
  prefix: string,
  opts: {
    /** rtpengine's ng socket for Kamailio (carriers.cfg). */
    rtpengineSock?: string
    /** Runs on the migrated database before Kamailio reads it (carrier routes). */
    beforeKamailio?: (db: ServiceContext['db']) => Promise<void>
    /** A PostgreSQL database for the service; Kamailio then reads it as its least-privilege role. Default: SQLite. */
    databaseUrl?: string
    /** Kamailio's shared memory in MiB (the registrations live there). */
    memoryMiB?: number
  } = {}
): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), `dialtone-bench-${prefix}-`))
  const plan = await planKamailio()
  const service = await startService(
    {
      ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dir),
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      jobs: false,
      sip: {
        domain: 'dialtone.test',
        websocketUrl: plan.wsUrl,
        rpcUrl: plan.rpcUrl,
        accountingDir: plan.accountingDir
      }
    },
    { clock: new ManualClock(new Date()) }
  )
  const base = await service.app.listen({ port: 0, host: '127.0.0.1' })
  const ctx = service.ctx
  await opts.beforeKamailio?.(ctx.db)
  const kam = await startKamailio({
    dbUrl: opts.databaseUrl ? kamailioRole(opts.databaseUrl) : `sqlite:///${service.database.sqliteFile}`,
    postgres: !!opts.databaseUrl,
    memoryMiB: opts.memoryMiB,
    plan,
    rtpengineSock: opts.rtpengineSock
  })
  const acceptances = {
    termsVersion: ctx.config.legal.termsVersion,
    e911DisclosureVersion: ctx.config.legal.e911DisclosureVersion
  }
  const address = {
    street: '12 Washington St',
    city: 'Hoboken',
    region: 'NJ',
    postalCode: '07030',
    country: 'US' as const
  }
  return {
    plan,
    kam,
    base,
    db: ctx.db,
    async line(name) {
      const email = `${prefix}-${name}@example.test`
      const password = 'quiet harbor lantern 7'
      const serial = `${prefix}-${name}`.toUpperCase().replace(/[^A-Z0-9]/g, '')
      const t = await startTrial(
        ctx,
        {
          serial,
          attestation: await attestDirect(ctx, serial),
          model: '06e6:c200',
          name: 'Bench',
          accountType: 'individual',
          billingAddress: { ...address, street: '1 Main St' },
          email,
          password,
          areaCode: '201',
          acceptances
        },
        IP
      )
      const mail = await ctx.db
        .selectFrom('outbox')
        .select('body')
        .where('recipient', '=', email)
        .executeTakeFirstOrThrow()
      const a = await activateTrial(ctx, t.trialId, /\b(\d{6})\b/.exec(mail.body ?? '')?.[1] ?? '', IP)
      await registerE911(ctx, a.accountId, a.lineId, { ...address, unit: '' }, IP)
      return { email, password, creds: await sipCredentials(ctx, a.accountId, a.lineId, IP) }
    },
    async close() {
      await kam.stop()
      await service.close()
    }
  }
}

/** A sip.js user agent registered with a bench line's credentials: a caller, signalling only (no media). */
export async function registeredCaller(creds: SipCredentials): Promise<UserAgent> {
  const ua = new UserAgent(benchUserAgentOptions(creds))
  await ua.start()
  const registerer = new Registerer(ua)
  await new Promise<void>((resolve) => {
    registerer.stateChange.addListener((s) => s === RegistererState.Registered && resolve())
    void registerer.register().catch((err: unknown) => console.error('registerer.register failed', err))
  })
  return ua
}
