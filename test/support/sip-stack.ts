/** The service on SQLite with a real Kamailio reading its database, as the phone and setup suites need them. */
import { type KamailioInstance, type KamailioPlan, planKamailio, startKamailio } from './kamailio'
import type { VoicemailConfig } from '../../src/server/voicemail/config'
import { type TestService, startTestService } from './service'

export interface SipStack {
  readonly svc: TestService
  readonly plan: KamailioPlan
  kam: KamailioInstance
  /** Starts Kamailio again on the same ports (after stopping it in a restart test). */
  restartKamailio(): Promise<KamailioInstance>
  close(): Promise<void>
}

export async function startSipStack(
  opts: {
    voicemailUri?: string
    /** The voicemail server, started inside the service (its SIP port is then Kamailio's VOICEMAIL_URI). */
    voicemail?: VoicemailConfig
    rtpengineSock?: string
    emergencyUri?: string
    addressTestUri?: string
    /** Runs once the service has made its database, before Kamailio reads it (carrier routes). */
    beforeKamailio?: (svc: TestService) => Promise<void>
  } = {}
): Promise<SipStack> {
  const plan = await planKamailio()
  const svc = await startTestService(
    'sqlite',
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
      dbUrl: `sqlite:///${svc.service.database.sqliteFile}`,
      plan,
      voicemailUri:
        opts.voicemailUri ??
        (opts.voicemail ? `sip:${opts.voicemail.host}:${opts.voicemail.port}` : undefined),
      rtpengineSock: opts.rtpengineSock,
      emergencyUri: opts.emergencyUri,
      addressTestUri: opts.addressTestUri
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
