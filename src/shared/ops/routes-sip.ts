/**
 * The SIP server topic of the ops API: the client addresses Kamailio's flood limit is dropping
 * (resources/kamailio/flood.cfg: an address past FLOOD_DENSITY new requests in 2 s has them dropped for
 * FLOOD_BAN_SECONDS), listed, and one let in again before its ban ends: an office whose lines all reconnected at once
 * after an outage, say, which support can tell from a flood. Kamailio keeps the bans in its memory; the service asks
 * it over its JSON-RPC (DIALTONE_KAMAILIO_RPC_URL) and says so when it cannot reach it. On a pair of nodes the bans
 * are copied between them (flood.cfg), so the node the service's RPC address names speaks for both.
 */
import { z } from 'zod'
import { opsRoute, reasonField } from './route'

export const banView = z.object({
  /**
   * As the lines' door writes it: an IPv4 address or an IPv6 /64 prefix ("the door" for the door's connections that
   * named no client).
   */
  address: z.string(),
  until: z.string()
})

const banAddress = z
  .string()
  .regex(
    /^([0-9a-fA-F.:]{2,45}|the door)$/,
    'an address as the SIP server names it in its log: IPv4, an IPv6 /64 prefix, or "the door"'
  )

export const SIP_OPS_ROUTES = {
  opsSipBans: opsRoute({
    method: 'GET',
    path: '/ops/v1/sip/bans',
    access: 'sip.read',
    // Kamailio over the network: never inside a database transaction.
    atomic: false,
    summary: 'the client addresses the SIP server is dropping for a flood of requests, and until when',
    input: null,
    output: z.object({ bans: z.array(banView) })
  }),
  opsSipUnban: opsRoute({
    method: 'DELETE',
    path: '/ops/v1/sip/bans/:address',
    access: 'sip.unban',
    // Kamailio's memory, not the database: nothing to commit with the audit row.
    atomic: false,
    summary: 'let an address in again before its flood ban ends',
    input: z.object({ address: banAddress, reason: reasonField }).strict(),
    output: z.object({ lifted: banView })
  })
} as const
