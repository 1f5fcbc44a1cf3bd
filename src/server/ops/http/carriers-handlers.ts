/**
 * The carriers topic's ops handlers (issue 22): the routing table listed, a gateway or a prefix rule saved
 * (validated by src/server/carriers/routes.ts, audited with the row before and after), then Kamailio asked to
 * reload. A reload that fails does not undo the save: the table is the truth and Kamailio reads it at its next
 * reload or start, which the answer says.
 */
import type { CARRIERS_OPS_ROUTES } from '../../../shared/ops/routes-carriers'
import {
  CarrierRouteError,
  reloadCarrierRoutes,
  removeGateway,
  removePrefix,
  saveGateway,
  savePrefix
} from '../../carriers/routes'
import { conflict, invalid, notFound } from '../../http/errors'
import type { ServiceContext } from '../../context'
import type { HandlersOf } from './handlers-of'

async function gatewayRow(ctx: ServiceContext, name: string) {
  const g = await ctx.db
    .selectFrom('carrier_gateways')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst()
  return g
    ? {
        name: g.name,
        routeSet: g.route_set,
        host: g.host,
        port: g.port,
        transport: g.transport,
        priority: g.priority,
        direction: g.direction,
        state: g.state,
        updatedAt: g.updated_at
      }
    : null
}

async function prefixRow(ctx: ServiceContext, prefix: string) {
  const p = await ctx.db
    .selectFrom('carrier_prefixes')
    .selectAll()
    .where('prefix', '=', prefix)
    .executeTakeFirst()
  return p ? { prefix: p.prefix, routeSet: p.route_set, description: p.description } : null
}

/** Asks Kamailio to reload; never throws (the change is saved either way). */
async function reload(ctx: ServiceContext): Promise<{ reloaded: boolean; detail: string | null }> {
  const url = ctx.config.sip.rpcUrl
  if (!url)
    return { reloaded: false, detail: 'no Kamailio RPC address is configured (DIALTONE_KAMAILIO_RPC_URL)' }
  try {
    await reloadCarrierRoutes(url)
    return { reloaded: true, detail: null }
  } catch (e) {
    return { reloaded: false, detail: (e as Error).message }
  }
}

/** The routing table's own checks, as a field issue like the schema's. */
async function checked<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (e instanceof CarrierRouteError) throw invalid(path, e.message, 'carrier-route-invalid')
    throw e
  }
}

export function carriersHandlers(ctx: ServiceContext): HandlersOf<keyof typeof CARRIERS_OPS_ROUTES> {
  return {
    opsCarriersList: async () => {
      const gateways = await ctx.db
        .selectFrom('carrier_gateways')
        .select('name')
        .orderBy('route_set')
        .orderBy('priority', 'desc')
        .execute()
      const prefixes = await ctx.db
        .selectFrom('carrier_prefixes')
        .select('prefix')
        .orderBy('prefix')
        .execute()
      return {
        gateways: (await Promise.all(gateways.map((g) => gatewayRow(ctx, g.name)))).flatMap((g) =>
          g ? [g] : []
        ),
        prefixes: (await Promise.all(prefixes.map((p) => prefixRow(ctx, p.prefix)))).flatMap((p) =>
          p ? [p] : []
        )
      }
    },
    opsCarriersGatewaySave: async ({ reason: _reason, ...g }, act) => {
      act.target(g.name)
      act.before(await gatewayRow(ctx, g.name))
      await checked('host', () => saveGateway(ctx.db, g, ctx.clock.now()))
      const gateway = await gatewayRow(ctx, g.name)
      if (!gateway) throw new Error('a saved gateway was not found again')
      const kamailio = await reload(ctx)
      act.after({ ...gateway, kamailio })
      return { gateway, kamailio }
    },
    opsCarriersPrefixSave: async ({ reason: _reason, ...p }, act) => {
      act.target(p.prefix)
      act.before(await prefixRow(ctx, p.prefix))
      await checked('prefix', () => savePrefix(ctx.db, p))
      const prefix = await prefixRow(ctx, p.prefix)
      if (!prefix) throw new Error('a saved prefix was not found again')
      const kamailio = await reload(ctx)
      act.after({ ...prefix, kamailio })
      return { prefix, kamailio }
    },
    opsCarriersGatewayRemove: async ({ name }, act) => {
      act.target(name)
      const before = await gatewayRow(ctx, name)
      if (!before) throw notFound('carrier-route-not-found', `the gateway ${name}`)
      act.before(before)
      await removing(() => removeGateway(ctx.db, name))
      const kamailio = await reload(ctx)
      act.after({ removed: true, kamailio })
      return { removed: before, kamailio }
    },
    opsCarriersPrefixRemove: async ({ prefix }, act) => {
      act.target(prefix)
      const before = await prefixRow(ctx, prefix)
      if (!before) throw notFound('carrier-route-not-found', `the prefix rule ${prefix}`)
      act.before(before)
      await removing(() => removePrefix(ctx.db, prefix))
      const kamailio = await reload(ctx)
      act.after({ removed: true, kamailio })
      return { removed: before, kamailio }
    }
  }
}

/** A removal the routing table refuses (the last gateway a prefix needs) is a conflict, in its own words. */
async function removing<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (e instanceof CarrierRouteError) throw conflict('carrier-route-in-use', e.message)
    throw e
  }
}
