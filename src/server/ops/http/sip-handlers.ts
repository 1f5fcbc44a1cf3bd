/**
 * The SIP server topic's ops handlers: the flood bans Kamailio holds in its memory (resources/kamailio/flood.cfg,
 * the htable `flood_ban`: an address and the Unix time its ban ends), read and lifted over Kamailio's JSON-RPC
 * (`htable.dump`, `htable.delete`). A ban whose time has passed is no ban (Kamailio forgets it within the hour), so
 * neither is listed nor lifted. Kamailio's clock is this machine's, not the service's (a test's clock may be moved):
 * the bans are compared with the real time.
 */
import type { SIP_OPS_ROUTES } from '../../../shared/ops/routes-sip'
import { ServiceError, notFound } from '../../http/errors'
import type { ServiceContext } from '../../context'
import { type KamailioAnswer, callKamailio } from '../../provisioning/kamailio-rpc'
import type { HandlersOf } from './handlers-of'

const TABLE = 'flood_ban'
/** New requests per address and 2-second window (flood.cfg: the key is the address, '/', and Unix time / 2). */
const COUNTS = 'flood'

const unreachable = (detail: string): ServiceError =>
  new ServiceError('unavailable', `the SIP server could not be asked: ${detail}`, {
    reason: 'sip-server-unreachable'
  })

/** Kamailio's answer when the key it was asked to delete is not there (htable_rpc_delete: 404). */
class NotThere extends Error {}

async function rpc(ctx: ServiceContext, method: string, params: unknown[]): Promise<unknown> {
  const url = ctx.config.sip.rpcUrl
  if (!url) throw unreachable('no Kamailio RPC address is configured (DIALTONE_KAMAILIO_RPC_URL)')
  let body: KamailioAnswer
  try {
    body = await callKamailio(url, method, params)
  } catch (err) {
    throw unreachable(err instanceof Error ? err.message : String(err))
  }
  if (body.error?.code === 404) throw new NotThere(body.error.message)
  if (body.error) throw unreachable(body.error.message ?? 'an error without a message')
  return body.result
}

/** htable.dump's answer: slots, each with its entries' names and values. */
type Dump = { slot?: { name?: unknown; value?: unknown }[] }[]

/** The bans in force now, soonest to end first. */
async function activeBans(ctx: ServiceContext): Promise<{ address: string; until: string }[]> {
  const dump = ((await rpc(ctx, 'htable.dump', [TABLE])) ?? []) as Dump
  const now = Date.now() / 1000
  return dump
    .flatMap((s) => s.slot ?? [])
    .flatMap((e) =>
      typeof e.name === 'string' && typeof e.value === 'number' && e.value > now
        ? [{ address: e.name, endsAt: e.value }]
        : []
    )
    .sort((a, b) => a.endsAt - b.endsAt)
    .map((b) => ({ address: b.address, until: new Date(b.endsAt * 1000).toISOString() }))
}

export function sipHandlers(ctx: ServiceContext): HandlersOf<keyof typeof SIP_OPS_ROUTES> {
  return {
    opsSipBans: async () => ({ bans: await activeBans(ctx) }),
    opsSipUnban: async (input, act) => {
      // As Kamailio keeps it: IPv6 in lower case (the door writes it so).
      const address = input.address.toLowerCase()
      act.target(address)
      const ban = (await activeBans(ctx)).find((b) => b.address === address)
      if (!ban) throw notFound('sip-ban-not-found', `a flood ban of ${address}`)
      act.before(ban)
      try {
        await rpc(ctx, 'htable.delete', [TABLE, address])
      } catch (err) {
        // Lifted meanwhile (another operator, a retry): as not banned.
        if (err instanceof NotThere) throw notFound('sip-ban-not-found', `a flood ban of ${address}`)
        throw err
      }
      // The count of the window the ban began in goes too, or the address's next request would ban it again.
      const window = Math.floor(Date.now() / 2000)
      for (const w of [window, window - 1])
        await rpc(ctx, 'htable.delete', [COUNTS, `${address}/${w}`]).catch((err: unknown) => {
          if (!(err instanceof NotThere)) throw err
        })
      act.after({ lifted: true })
      return { lifted: ban }
    }
  }
}
