/**
 * The ops API (/ops/v1): one handler per entry of the ops route table, and /ops/v1/openapi.json, the part of the
 * service's generated OpenAPI document under /ops (the /v1 document leaves it out). The handler map is typed over
 * the whole table, so a route without a handler does not compile.
 */
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { PERMISSIONS, allows, type Permission } from '../../../shared/ops/permissions'
import type { CoreRouteName, OpsRouteName } from '../../../shared/ops/routes'
import type { ServiceContext } from '../../context'
import { auditCsv, searchOps } from '../audit-log'
import {
  confirmEnrolment,
  createOperator,
  listOperators,
  signInOperator,
  signOutOperator,
  startEnrolment
} from '../operators'
import { createPartner, listPartners, rotatePartnerKey } from '../partners'
import { importRegistryCsv } from '../registry-ops'
import { serialHistory } from '../registry-history'
import {
  blockOpsBatch,
  createOpsBatch,
  exportPins,
  shipOpsBatch,
  tillActivate,
  voucherReport
} from '../vouchers-ops'
import { recordOrder, rotateWebhookSecret } from '../webshop'
import { accountsHandlers } from './accounts-handlers'
import { accountSecurityHandlers } from './account-security-handlers'
import { carriersHandlers } from './carriers-handlers'
import { sipHandlers } from './sip-handlers'
import { type HandlersOf, actorOf } from './handlers-of'
import { numbersHandlers } from './numbers-handlers'
import { moneyHandlers } from './money-handlers'
import { promotionsHandlers } from './promotions-handlers'
import { supportHandlers } from './support-handlers'
import { servicesHandlers } from './services-handlers'
import { businessHandlers } from './business-handlers'
import { registryHandlers } from './registry-handlers'
import { type OpsHandler, opsServer } from './serve-ops'

type Handlers = { [N in OpsRouteName]: OpsHandler<N> }

/** Every route's handler, topic by topic: each topic keeps its handlers in its own file (<topic>-handlers.ts). */
function handlers(ctx: ServiceContext): Handlers {
  return {
    // promotions (issue 20)
    ...promotionsHandlers(ctx),

    // accounts (issue 20)
    ...accountsHandlers(ctx),
    ...accountSecurityHandlers(ctx),

    // money (issue 20)
    ...moneyHandlers(ctx),

    // numbers and reports (issue 20)
    ...numbersHandlers(ctx),

    // carriers (issue 22)
    ...carriersHandlers(ctx),
    // the SIP server's flood bans
    ...sipHandlers(ctx),

    // support (issue 25)
    ...supportHandlers(ctx),
    // business (issue 25)
    ...businessHandlers(ctx),
    // the registry's actions
    ...registryHandlers(ctx),

    // services (issue 25)
    ...servicesHandlers(ctx),

    ...coreHandlers(ctx)
  }
}

function coreHandlers(ctx: ServiceContext): HandlersOf<CoreRouteName> {
  return {
    opsLogin: async (input, act) => {
      const answer = await signInOperator(ctx, input, act.ip)
      const o = answer.operator
      act.target(o.email)
      act.by({
        kind: 'operator',
        id: o.id,
        label: o.email,
        name: o.name,
        role: o.role,
        partnerId: o.partnerId,
        sessionId: null,
        expiresAt: answer.expiresAt
      })
      act.after({ sessionExpiresAt: answer.expiresAt })
      return answer
    },
    opsLogout: async (_input, act) => {
      const actor = actorOf(act)
      if (actor.sessionId) await signOutOperator(ctx, actor.sessionId)
      return { ok: true as const }
    },
    opsEnrol: async (input, act) => {
      const { operatorId, ...answer } = await startEnrolment(ctx, input)
      act.target(operatorId)
      act.after({ password: 'set', totp: 'new secret', recoveryCodes: answer.recoveryCodes.length })
      return answer
    },
    opsEnrolConfirm: async (input, act) => {
      const operator = await confirmEnrolment(ctx, input)
      act.target(operator.id)
      act.after({ status: operator.status })
      return { operator }
    },
    opsWhoami: async (_input, act) => {
      const a = actorOf(act)
      const role = a.role
      return {
        kind: a.kind,
        id: a.id,
        name: a.name,
        role,
        partnerId: a.partnerId,
        permissions: role ? (Object.keys(PERMISSIONS) as Permission[]).filter((p) => allows(role, p)) : [],
        expiresAt: a.expiresAt
      }
    },
    opsOperatorsCreate: async (input, act) => {
      const made = await createOperator(ctx, input, actorOf(act).id)
      act.target(made.operator.id)
      act.after(made.operator)
      return made
    },
    opsOperatorsList: async () => ({ operators: await listOperators(ctx) }),
    opsPartnersCreate: async (input, act) => {
      const partner = await createPartner(ctx, input)
      act.target(partner.id)
      act.after(partner)
      return { partner }
    },
    opsPartnersList: async () => ({ partners: await listPartners(ctx) }),
    opsPartnerKeyRotate: async ({ partnerId }, act) => {
      const key = await rotatePartnerKey(ctx, partnerId, actorOf(act).id)
      act.after({ keyId: key.keyId, revokedEarlier: key.revoked })
      return { partnerId, ...key }
    },
    opsAuditSearch: async (filter) => ({ events: await searchOps(ctx.db, filter, 'desc') }),
    opsAuditExport: async (filter, act) => {
      const events = await searchOps(ctx.db, filter, 'asc')
      act.after({ exported: events.length, filter })
      return { count: events.length, csv: auditCsv(events) }
    },
    opsRegistryImport: async ({ batch, csv }, act) => {
      act.target(batch)
      const done = await importRegistryCsv(ctx, batch, csv)
      act.after(done)
      return done
    },
    opsRegistryShow: async ({ serial }) => serialHistory(ctx, serial),
    opsVouchersCreate: async (input, act) => {
      const made = await createOpsBatch(ctx, input, actorOf(act))
      act.target(made.batchId)
      act.after({ ...made, name: input.name, planId: input.planId, expiresAt: input.expiresAt })
      return made
    },
    opsVouchersExportPins: async ({ batchId }, act) => {
      act.before({ pins: 'sealed' })
      const out = await exportPins(ctx, batchId, actorOf(act))
      act.after({ pins: 'exported and erased', cards: out.cards.length })
      return out
    },
    opsVouchersShip: async ({ batchId, partnerId }, act) => {
      act.before({ partnerId: null, state: 'generated' })
      const out = await shipOpsBatch(ctx, batchId, partnerId)
      act.after({ partnerId, state: 'inactive', cards: out.shipped })
      return out
    },
    opsVouchersBlock: async ({ batchId }, act) => {
      const out = await blockOpsBatch(ctx, batchId)
      act.after({ state: 'blocked', cards: out.blocked })
      return out
    },
    opsVouchersReport: async () => voucherReport(ctx),
    opsPartnerSecretRotate: async ({ partnerId }, act) => {
      const out = await rotateWebhookSecret(ctx, partnerId)
      act.after({ webhookSecret: 'replaced' })
      return out
    },
    opsWebshopOrder: async (order, act) => {
      act.target(order.orderNumber)
      const out = await recordOrder(ctx, order)
      act.after({
        ...out,
        email: order.email,
        model: order.model,
        serial: order.serial ?? null,
        includedMonths: order.includedMonths
      })
      return out
    },
    opsTillActivate: async ({ serial }, act) => {
      act.target(serial)
      act.before({ state: 'inactive' })
      const out = await tillActivate(ctx, actorOf(act), serial)
      act.after({ state: 'active', batchId: out.batchId })
      return out
    }
  }
}

export function opsRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.decorateRequest('opsActor', null)
    const serve = opsServer(app, ctx)
    // Each call builds its route's handler over the context it runs in (its transaction: serve-ops.ts).
    for (const name of Object.keys(handlers(ctx)) as OpsRouteName[])
      serve(name, (c) => handlers(c)[name] as OpsHandler<typeof name>)
    app.get('/ops/v1/openapi.json', { schema: { hide: true } }, async () => opsOpenApi(app))
  }
}

interface OpenApiDoc {
  info?: object
  paths?: Record<string, unknown>
  components?: { securitySchemes?: Record<string, unknown> } & Record<string, unknown>
  [k: string]: unknown
}

export const OPERATOR_SCHEME = 'dto_… operator session from /ops/v1/auth/login, or a partner’s dtk_… API key'

/** The document of /ops/v1 alone. */
export function opsOpenApi(app: FastifyInstance): OpenApiDoc {
  const doc = app.swagger() as unknown as OpenApiDoc
  const schemes = doc.components?.securitySchemes ?? {}
  return {
    ...doc,
    info: { ...doc.info, title: 'Dialtone ops API (operators, partners)' },
    paths: Object.fromEntries(Object.entries(doc.paths ?? {}).filter(([p]) => p.startsWith('/ops/'))),
    components: { ...doc.components, securitySchemes: { operator: schemes.operator } }
  }
}

/** The /v1 document without the ops API (its paths and its security scheme). */
export function withoutOps<T extends { paths?: object; components?: object }>(doc: T): T {
  const paths = Object.entries(doc.paths ?? {}).filter(([p]) => !p.startsWith('/ops/'))
  const components = (doc.components ?? {}) as { securitySchemes?: Record<string, unknown> }
  const schemes = Object.entries(components.securitySchemes ?? {}).filter(([k]) => k !== 'operator')
  return {
    ...doc,
    paths: Object.fromEntries(paths),
    components: { ...components, securitySchemes: Object.fromEntries(schemes) }
  }
}
