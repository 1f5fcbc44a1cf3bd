/**
 * The service with a real Kamailio reading its database, as the phone and setup suites need them: on SQLite, or
 * on PostgreSQL with Kamailio as its least-privilege role (the Kamailio integration tests, kamailio-service.ts).
 */
import {
  type KamailioInstance,
  type KamailioPlan,
  kamailioRole,
  planKamailio,
  startKamailio
} from './kamailio'
import type { VoicemailConfig } from '../../src/server/voicemail/config'
import { type Backend, type TestService, startTestService } from './service'

export interface SipStack {
  readonly svc: TestService
  readonly plan: KamailioPlan
  kam: KamailioInstance
  /** Starts Kamailio again on the same ports (after stopping it in a restart test). */
  restartKamailio(): Promise<KamailioInstance>
  close(): Promise<void>
}

export interface SipStackOptions {
  /** The service's database (SQLite unless said). */
  backend?: Backend
  voicemailUri?: string
  /** The voicemail server, started inside the service (its SIP port is then Kamailio's VOICEMAIL_URI). */
  voicemail?: VoicemailConfig
  rtpengineSock?: string
  emergencyUri?: string
  addressTestUri?: string
  /** Runs once the service has made its database, before Kamailio reads it (carrier routes). */
  beforeKamailio?: (svc: TestService) => Promise<void>
  /** Kamailio's global tm fr_timer in ms (10 s unless said; see startKamailio). */
  frTimerMs?: number
  maxCallSeconds?: number
  /** flood.cfg's limit and the TLS terminator's address (startKamailio). */
  flood?: { density: number; banSeconds: number }
  terminatorAddr?: string
}

export async function startSipStack(opts: SipStackOptions = {}): Promise<SipStack> {
  const plan = await planKamailio()
  const backend = opts.backend ?? 'sqlite'
  const svc = await startTestService(
    backend,
    {
      sip: {
        domain: 'dialtone.test',
        websocketUrl: plan.wsUrl,
        rpcUrl: plan.rpcUrl,
        accountingDir: plan.accountingDir
      }
    },
    {},
    opts.voicemail ? { voicemail: opts.voicemail } : {}
  )
  await opts.beforeKamailio?.(svc)
  const start = () =>
    startKamailio({
      dbUrl:
        backend === 'sqlite'
          ? `sqlite:///${svc.service.database.sqliteFile}`
          : kamailioRole(svc.service.ctx.config.databaseUrl),
      postgres: backend === 'postgres',
      plan,
      voicemailUri:
        opts.voicemailUri ??
        (opts.voicemail ? `sip:${opts.voicemail.host}:${opts.voicemail.port}` : undefined),
      rtpengineSock: opts.rtpengineSock,
      emergencyUri: opts.emergencyUri,
      addressTestUri: opts.addressTestUri,
      frTimerMs: opts.frTimerMs,
      maxCallSeconds: opts.maxCallSeconds,
      flood: opts.flood,
      terminatorAddr: opts.terminatorAddr
    })
  const stack: SipStack = {
    svc,
    plan,
    kam: await start(),
    async restartKamailio() {
      stack.kam = await start()
      return stack.kam
    },
    async close() {
      await stack.kam.stop()
      await svc.close()
    }
  }
  return stack
}
