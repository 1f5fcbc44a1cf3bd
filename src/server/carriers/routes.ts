/**
 * The carrier routing table (issue 22): gateways and prefix rules in the service's database, read by Kamailio
 * through the views of migration 0018. Every write is validated first (bad input changes nothing) and is seen by
 * Kamailio after reloadCarrierRoutes() asks it to reload its dispatcher, permissions and mtree caches.
 */
import { request } from 'node:http'
import { isIP } from 'node:net'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import {
  GATEWAY_DIRECTIONS,
  GATEWAY_STATES,
  type GatewayDirection,
  type GatewayState
} from '../db/schema-carriers'

export interface GatewaySpec {
  readonly name: string
  readonly routeSet: number
  /** An IP literal: Kamailio matches carriers' INVITEs by source address. */
  readonly host: string
  readonly port: number
  readonly transport?: 'udp' | 'tcp'
  /** Higher first within a route set. */
  readonly priority: number
  readonly direction: GatewayDirection
  readonly state?: GatewayState
}

export interface PrefixSpec {
  /** E.164 digits without '+'; the longest match wins. */
  readonly prefix: string
  readonly routeSet: number
  readonly description?: string
}

export class CarrierRouteError extends Error {}

/**
 * The route set of the emergency gateways (PSAPs): Kamailio sends 911 to them (resources/kamailio/emergency.cfg,
 * EMERGENCY_ROUTE_SET), probed and failed over like carriers. A PSAP that may call back has direction `both`.
 * No prefix may use it: ordinary calls never go to a PSAP.
 */
export const EMERGENCY_ROUTE_SET = 911

const intIn = (v: number, min: number, max: number): boolean => Number.isInteger(v) && v >= min && v <= max

export function checkGateway(g: GatewaySpec): void {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(g.name))
    throw new CarrierRouteError('a gateway name is 1-40 lower-case letters, digits and dashes')
  if (isIP(g.host) === 0) throw new CarrierRouteError(`gateway host must be an IP address, not "${g.host}"`)
  if (!intIn(g.port, 1, 65535)) throw new CarrierRouteError(`gateway port ${g.port} is not 1-65535`)
  if (!intIn(g.routeSet, 1, 9999)) throw new CarrierRouteError(`route set ${g.routeSet} is not 1-9999`)
  if (!intIn(g.priority, 0, 1000)) throw new CarrierRouteError(`priority ${g.priority} is not 0-1000`)
  if (!GATEWAY_DIRECTIONS.includes(g.direction))
    throw new CarrierRouteError(`direction must be one of ${GATEWAY_DIRECTIONS.join(', ')}`)
  if (g.state !== undefined && !GATEWAY_STATES.includes(g.state))
    throw new CarrierRouteError(`state must be one of ${GATEWAY_STATES.join(', ')}`)
  if (g.transport !== undefined && g.transport !== 'udp' && g.transport !== 'tcp')
    throw new CarrierRouteError('transport must be udp or tcp')
}

export function checkPrefix(p: PrefixSpec): void {
  if (!/^[0-9]{1,15}$/.test(p.prefix)) throw new CarrierRouteError('a prefix is 1-15 digits')
  if (!intIn(p.routeSet, 1, 9999)) throw new CarrierRouteError(`route set ${p.routeSet} is not 1-9999`)
  if (p.routeSet === EMERGENCY_ROUTE_SET)
    throw new CarrierRouteError(
      `route set ${EMERGENCY_ROUTE_SET} is the emergency gateways (911 only): a prefix cannot send calls to it`
    )
}

/** Adds or replaces (by name) a gateway. */
export async function saveGateway(db: Kysely<Database>, g: GatewaySpec, now: Date): Promise<void> {
  checkGateway(g)
  const row = {
    route_set: g.routeSet,
    host: g.host,
    port: g.port,
    transport: g.transport ?? 'udp',
    priority: g.priority,
    direction: g.direction,
    state: g.state ?? 'active',
    updated_at: now.toISOString()
  }
  await db
    .insertInto('carrier_gateways')
    .values({ name: g.name, ...row, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('name').doUpdateSet(row))
    .execute()
}

/** Adds or replaces (by prefix) a prefix rule. */
export async function savePrefix(db: Kysely<Database>, p: PrefixSpec): Promise<void> {
  checkPrefix(p)
  const row = { route_set: p.routeSet, description: p.description ?? '' }
  await db
    .insertInto('carrier_prefixes')
    .values({ prefix: p.prefix, ...row })
    .onConflict((oc) => oc.column('prefix').doUpdateSet(row))
    .execute()
}

/** Gateways that take calls out (what dispatcher sees), the ones a route set needs. */
const OUTBOUND = ['out', 'both'] as const

/**
 * Removes a gateway by name and answers the row it removed. Refused (nothing changes) when the gateway is the
 * last outbound one of a route set that a prefix still uses, or the last emergency gateway: calls would have
 * nowhere to go. Disable it, or move the prefixes first. Checked and deleted in one transaction.
 */
export async function removeGateway(db: Kysely<Database>, name: string) {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(name))
    throw new CarrierRouteError('a gateway name is 1-40 lower-case letters, digits and dashes')
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('carrier_gateways')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst()
    if (!row) throw new CarrierRouteError(`there is no gateway named ${name}`)
    if ((OUTBOUND as readonly string[]).includes(row.direction)) {
      const others = await trx
        .selectFrom('carrier_gateways')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('route_set', '=', row.route_set)
        .where('direction', 'in', OUTBOUND)
        .where('name', '!=', name)
        .executeTakeFirstOrThrow()
      if (Number(others.n) === 0) {
        if (row.route_set === EMERGENCY_ROUTE_SET)
          throw new CarrierRouteError(
            `${name} is the last emergency gateway: 911 calls would have nowhere to go; add another one first`
          )
        const users = await trx
          .selectFrom('carrier_prefixes')
          .select('prefix')
          .where('route_set', '=', row.route_set)
          .orderBy('prefix')
          .execute()
        if (users.length > 0)
          throw new CarrierRouteError(
            `${name} is the last gateway of route set ${row.route_set}, which ${
              users.length === 1 ? 'prefix' : 'prefixes'
            } ${users.map((u) => u.prefix).join(', ')} still ${
              users.length === 1 ? 'uses' : 'use'
            }: calls to them would have nowhere to go; remove or move those prefixes first, or disable the gateway`
          )
      }
    }
    await trx.deleteFrom('carrier_gateways').where('id', '=', row.id).execute()
    return row
  })
}

/** Removes a prefix rule and answers the row it removed (numbers it matched fall to a shorter prefix, or none). */
export async function removePrefix(db: Kysely<Database>, prefix: string) {
  if (!/^[0-9]{1,15}$/.test(prefix)) throw new CarrierRouteError('a prefix is 1-15 digits')
  const row = await db
    .selectFrom('carrier_prefixes')
    .select(['id', 'prefix', 'route_set', 'description'])
    .where('prefix', '=', prefix)
    .executeTakeFirst()
  if (!row) throw new CarrierRouteError(`there is no prefix rule ${prefix}`)
  await db.deleteFrom('carrier_prefixes').where('id', '=', row.id).execute()
  return row
}

/** Kamailio's RPC methods that reload what it cached from the views. */
export const CARRIER_RELOAD_METHODS = [
  'dispatcher.reload',
  'permissions.addressReload',
  'mtree.reload'
] as const

/** One JSON-RPC call on its own connection (Kamailio's xhttp closes each connection after its reply). */
function rpcCall(rpcUrl: string, method: string): Promise<{ error?: { message?: string } }> {
  const body = JSON.stringify({ jsonrpc: '2.0', method, params: [], id: 1 })
  return new Promise((resolve, reject) => {
    const req = request(
      rpcUrl,
      {
        method: 'POST',
        agent: false,
        timeout: 2000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (text += d))
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as { error?: { message?: string } })
          } catch {
            reject(new Error(`Kamailio ${method}: not a JSON-RPC answer`))
          }
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`Kamailio ${method}: no answer within 2 s`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** Asks Kamailio (its JSON-RPC URL) to read the routing table again; throws with Kamailio's words on failure. */
export async function reloadCarrierRoutes(rpcUrl: string): Promise<void> {
  for (const method of CARRIER_RELOAD_METHODS) {
    const answer = await rpcCall(rpcUrl, method)
    if (answer.error) throw new Error(`Kamailio ${method}: ${answer.error.message ?? 'failed'}`)
  }
}
