/**
 * Carrier gateways played by raw SIP endpoints (./raw-sip.ts) on 127.0.0.1, for the Kamailio tests that send calls
 * out: saved with their route sets and prefixes in the service's database before Kamailio starts, then waited for
 * until Kamailio's dispatcher has them active ("AP": it pinged them and they answered).
 */
import type { Kysely } from 'kysely'
import { saveGateway, savePrefix } from '../../src/server/carriers/routes'
import type { Database } from '../../src/server/db/schema'
import type { KamailioInstance } from './kamailio'
import { type KamailioService, startKamailioService } from './kamailio-service'
import { until } from './phone-app'
import { type Rtpengine, startRtpengine } from './rtpengine'
import type { Backend } from './service'
import type { SipStackOptions } from './sip-stack'

export interface RawGateway {
  readonly name: string
  readonly routeSet: number
  readonly port: number
  /** The number prefixes routed to this gateway's route set. */
  readonly prefixes: readonly string[]
}

/** Saves each gateway (outbound, priority 10) and its prefixes. */
export async function saveRawGateways(db: Kysely<Database>, gateways: readonly RawGateway[]): Promise<void> {
  const now = new Date()
  for (const g of gateways) {
    await saveGateway(
      db,
      { name: g.name, routeSet: g.routeSet, host: '127.0.0.1', port: g.port, priority: 10, direction: 'out' },
      now
    )
    for (const prefix of g.prefixes) await savePrefix(db, { prefix, routeSet: g.routeSet })
  }
}

/** Resolves once Kamailio's dispatcher holds every gateway as active. */
export async function gatewaysUp(kam: KamailioInstance, gateways: readonly RawGateway[]): Promise<void> {
  for (const g of gateways)
    await until(
      () => kam.rpc<unknown>('dispatcher.list').catch(() => null),
      (l) => JSON.stringify(l).includes(`${g.port};transport=udp","FLAGS":"AP`),
      15_000
    )
}

/**
 * Kamailio on the service (`backend`) with its own rtpengine, `gateways` saved before it starts, and every gateway up
 * in dispatcher's eyes: the set-up of the test files that send calls out to raw carriers. `close` stops both.
 */
export async function startWithRawGateways(
  backend: Backend,
  gateways: readonly RawGateway[],
  options: Omit<SipStackOptions, 'backend' | 'rtpengineSock' | 'beforeKamailio'> = {}
): Promise<{ stack: KamailioService; rtpe: Rtpengine; close(): Promise<void> }> {
  const rtpe = await startRtpengine()
  const stack = await startKamailioService(backend, {
    ...options,
    rtpengineSock: rtpe.sock,
    beforeKamailio: (svc) => saveRawGateways(svc.service.database.db, gateways)
  })
  await gatewaysUp(stack.kam, gateways)
  return {
    stack,
    rtpe,
    async close() {
      await stack.close()
      await rtpe.stop()
    }
  }
}
