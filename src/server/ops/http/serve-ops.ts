/**
 * Registers the ops route table (src/shared/ops/routes.ts) the way serve-route.ts registers /v1: the table's input
 * split into path parameters and query or body, validated by the same zod compilers, answered through the same
 * error handler. On top: who is calling (an operator's `dto_` session or a partner's `dtk_` API key, both as
 * Bearer), whether the permission table lets that role do this (checked before the body is even parsed), and an
 * audit entry for every call — done, refused or failed — with the actor, the reason, the target and the before
 * and after the handler reports.
 *
 * An action and its audit row commit together: the handler runs inside one transaction (it is built for each
 * call over a context that writes through it, and whatever it calls that opens a transaction joins this one),
 * and the `ok` row is inserted in that same transaction before it commits. If the action or its audit insert
 * fails, nothing of the action stays, and the failure is audited afterwards on its own (a refused or failed
 * action changes nothing, so there is nothing for its row to commit with). Two kinds of route keep the older
 * order (action, then its row): public routes (sign-in and enrolment write throttle counters and refusal rows
 * that must survive the refusal) and routes marked `atomic: false` (they call the card processor). Inside the
 * transaction the card processor and the rate limiter are out of reach: they hold the database handle outside
 * it, which on SQLite (one connection) would wait for this very transaction forever.
 */
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import type { ApiRoute } from '../../../shared/api/route'
import { PERMISSIONS, allows } from '../../../shared/ops/permissions'
import type { OpsRoute } from '../../../shared/ops/route'
import { OPS_ROUTES, type OpsRouteName, type OpsRoutes } from '../../../shared/ops/routes'
import { type ServiceContext, inTransaction } from '../../context'
import { ServiceError, forbidden } from '../../http/errors'
import { LIMITS } from '../../http/rate-limit'
import { errorResponses } from '../../http/routes/responses'
import { splitInput } from '../../http/serve-route'
import type { OpsActor } from '../actor'
import { recordOps } from '../audit-log'
import { StrangersEnrolment, authenticateOperator } from '../operators'
import { authenticatePartner } from '../partners'
import { verifyDelivery } from '../webshop'
import { spendEnrolBudget } from './enrol-budget'

type ZodApp = Parameters<FastifyPluginAsyncZod>[0]

declare module 'fastify' {
  interface FastifyRequest {
    opsActor: OpsActor | null
    /** The body as sent, on signed routes only. */
    rawBody?: string
  }
  interface FastifyContextConfig {
    /** The ops route table entry this route serves. */
    opsRoute?: OpsRouteName
  }
}

export type OpsInput<N extends OpsRouteName> = OpsRoutes[N]['input'] extends z.ZodType
  ? z.output<OpsRoutes[N]['input']>
  : undefined

/** What a handler tells the audit log about its action. */
export interface Act {
  readonly actor: OpsActor | null
  readonly ip: string
  target(t: string): void
  /** Who acted, on a route without a caller (sign-in names the operator it signed in). */
  by(actor: OpsActor): void
  before(v: unknown): void
  after(v: unknown): void
}

export type OpsHandler<N extends OpsRouteName> = (
  input: OpsInput<N>,
  act: Act,
  request: FastifyRequest,
  reply: FastifyReply
) => Promise<z.input<OpsRoutes[N]['output']>>

/** The audit log's name for a route: opsVouchersShip -> vouchers-ship. */
export const actionOf = (name: string): string =>
  name
    .replace(/^ops/, '')
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()

/** Routes whose calls are not worth a line each (reading who you are). */
const UNAUDITED = new Set<OpsRouteName>(['opsWhoami'])

/**
 * Public routes counted before the handler (sign-in has its own throttle, identity/signin-throttle.ts): an
 * enrolment's two steps share its budgets (enrol-budget.ts; rate-limit.ts says why they are not the strangers').
 * Past them the answer is 429 with Retry-After, before the handler, so nothing is audited.
 */
const ENROL_ROUTES: ReadonlySet<OpsRouteName> = new Set(['opsEnrol', 'opsEnrolConfirm'])

function bearer(request: FastifyRequest): string | null {
  const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')
  return m?.[1] ?? null
}

const systemActor = (label: string) => ({ kind: 'system' as const, id: null, label, role: null })

/** A part of the context that must not be used inside an action's transaction: any use throws, saying why. */
function outOfReach<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_t, prop) {
      if (prop === 'then') return undefined
      throw new Error(
        `${what} is not called inside an ops action's transaction; mark the route atomic: false (src/shared/ops/route.ts)`
      )
    }
  })
}

/** The context an atomic action's handler is built over: the transaction's, without what holds the outer handle. */
const actionContext = (tx: ServiceContext): ServiceContext => ({
  ...tx,
  gateway: outOfReach('the card processor'),
  limiter: outOfReach('the rate limiter')
})

/** Builds a route's handler over the context it is to use (the action's transaction, or the service's). */
export type HandlerFor<N extends OpsRouteName> = (ctx: ServiceContext) => OpsHandler<N>

export function opsServer(app: ZodApp, ctx: ServiceContext) {
  return function serve<N extends OpsRouteName>(name: N, handlerFor: HandlerFor<N>): void {
    const r: OpsRoute = OPS_ROUTES[name]
    const { params, rest } = splitInput(name, r as unknown as ApiRoute)
    const status = r.status ?? 200
    const restPart = r.method === 'GET' ? 'querystring' : 'body'
    const access = r.access
    const action = actionOf(name)
    const audited = !UNAUDITED.has(name)
    const atomic = access !== 'public' && r.atomic !== false
    const budgeted = access === 'public' && ENROL_ROUTES.has(name)
    const rule =
      access === 'operator' || access === 'public' || access === 'signed' ? null : PERMISSIONS[access]
    const description =
      access === 'public'
        ? 'No sign-in.'
        : access === 'signed'
          ? 'No bearer: a web-shop partner signs the body (HMAC-SHA-256); see the summary.'
          : access === 'operator'
            ? 'Any signed-in operator or partner key.'
            : `Permission \`${access}\` (roles: ${rule?.roles.join(', ')})${rule?.reason ? '; a reason is required' : ''}.`
    const schema = {
      tags: ['ops'],
      summary: r.summary,
      description,
      ...(access === 'public' || access === 'signed' ? {} : { security: [{ operator: [] }] }),
      ...(params ? { params } : {}),
      ...(rest ? { [restPart]: rest } : {}),
      response: { [status]: r.output, ...errorResponses(400, 401, 403, 404, 409, 410, 429) }
    }
    const audit = (request: FastifyRequest, entry: Parameters<typeof recordOps>[2]) =>
      audited ? recordOps(ctx.db, ctx.clock, entry) : Promise.resolve()
    // A caller nobody knows (no valid session, key or signature): each refusal is a row of the append-only audit,
    // so only so many from one address and overall; past them the answer is 429 and nothing is written.
    const auditStranger = async (request: FastifyRequest, entry: Parameters<typeof recordOps>[2]) => {
      await ctx.limiter.hit([LIMITS.opsRefusedPerIp, request.ip], [LIMITS.opsRefusedGlobal, 'all'])
      await audit(request, entry)
    }

    const authorize = async (request: FastifyRequest): Promise<void> => {
      request.opsActor = null
      if (budgeted) await spendEnrolBudget(ctx, request)
      if (access === 'public' || access === 'signed') return
      const token = bearer(request)
      const actor = token
        ? token.startsWith('dtk_')
          ? await authenticatePartner(ctx, token)
          : await authenticateOperator(ctx, token)
        : null
      if (!actor) {
        await auditStranger(request, {
          actor: systemActor('anonymous'),
          action,
          outcome: 'refused',
          error: token ? 'session or key invalid' : 'no credentials',
          ip: request.ip
        })
        throw new ServiceError('unauthenticated', 'sign in again (dialtone-ops login) or check the API key', {
          reason: 'session'
        })
      }
      request.opsActor = actor
      if (access !== 'operator' && (actor.role === null || !allows(actor.role, access))) {
        await audit(request, {
          actor,
          action,
          target: paramTarget(request),
          outcome: 'refused',
          error: `ops-permission: ${access}`,
          ip: request.ip
        })
        throw forbidden('ops-permission', `the ${actor.role ?? 'partner'} role may not ${access}`, {
          permission: access,
          role: actor.role ?? 'none'
        })
      }
    }

    const verifySigned = async (request: FastifyRequest): Promise<void> => {
      try {
        request.opsActor = await verifyDelivery(ctx, request.headers, request.rawBody ?? '')
      } catch (err) {
        await auditStranger(request, {
          actor: systemActor(String(request.headers['x-dialtone-partner'] ?? 'unsigned').slice(0, 60)),
          action,
          outcome: 'refused',
          error: err instanceof ServiceError ? `${err.reason}: ${err.message}` : 'internal',
          ip: request.ip
        })
        throw err
      }
    }

    const route: RouteOptions = {
      method: r.method,
      url: r.path,
      schema,
      config: { opsRoute: name },
      ...(r.bodyLimit ? { bodyLimit: r.bodyLimit } : {}),
      // Before its input is validated, so a caller without the right credentials learns nothing about the body:
      // once the request has arrived whole and was admitted (http/admission.ts), or, on a route that takes a large
      // body (an upload), before that body is read. A signed route keeps the exact bytes it was sent (the
      // signature is over them, not over parsed JSON), checked before the body is validated too.
      ...(access === 'signed'
        ? { preParsing: keepRawBody, preValidation: verifySigned }
        : r.bodyLimit
          ? { onRequest: authorize }
          : { preValidation: authorize }),
      handler: async (request, reply) => {
        const fromRest = r.method === 'GET' ? request.query : request.body
        const input =
          r.input === null
            ? undefined
            : params
              ? { ...(request.params as object), ...((rest ? fromRest : {}) as object) }
              : fromRest
        const note: { target?: string; before?: unknown; after?: unknown; by?: OpsActor } = {}
        const act: Act = {
          actor: request.opsActor,
          ip: request.ip,
          target: (t) => (note.target = t),
          by: (a) => (note.by = a),
          before: (v) => (note.before = v),
          after: (v) => (note.after = v)
        }
        const reason =
          input && typeof input === 'object' && 'reason' in input
            ? String((input as { reason: unknown }).reason)
            : null
        const actor = request.opsActor ?? systemActor('public')
        const done = (c: ServiceContext) =>
          audited
            ? recordOps(c.db, c.clock, {
                actor: note.by ?? actor,
                action,
                target: note.target ?? paramTarget(request),
                reason,
                outcome: 'ok',
                before: note.before,
                after: note.after,
                ip: request.ip
              })
            : Promise.resolve()
        const perform = async (c: ServiceContext) => {
          const answer = await handlerFor(c)(input as OpsInput<N>, act, request, reply)
          await done(c)
          return answer
        }
        try {
          const answer = atomic
            ? await inTransaction(ctx, (tx) => perform(actionContext(tx)))
            : await perform(ctx)
          return reply.status(status).send(answer)
        } catch (err) {
          // Public routes (sign-in) audit their own failures with the real cause; a request refused by a rate
          // limit is not kept (the limit's own count says how many there were: an audit row for each would let a
          // flood grow the append-only audit without bound), nor is an enrolment with a token no operator has (or
          // one past its expiry): a stranger's, as a request without credentials is, and anyone can make them up.
          const limited = err instanceof ServiceError && err.code === 'rate-limited'
          const stranger = err instanceof StrangersEnrolment
          if (
            !limited &&
            !stranger &&
            (access !== 'public' || !(err instanceof ServiceError && err.reason === 'wrong-credentials'))
          )
            await audit(request, {
              actor,
              action,
              target: note.target ?? paramTarget(request),
              reason,
              outcome: err instanceof ServiceError && err.code === 'forbidden' ? 'refused' : 'failed',
              error: err instanceof ServiceError ? `${err.reason}: ${err.message}` : 'internal',
              before: note.before,
              ip: request.ip
            })
          throw err
        }
      }
    }
    app.route(route as Parameters<ZodApp['route']>[0])
  }
}

/** preParsing hook: read the (already size-limited) payload, keep it as text, hand the same bytes on. */
async function keepRawBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: Readable
): Promise<Readable> {
  const chunks: Buffer[] = []
  for await (const chunk of payload) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  const raw = Buffer.concat(chunks)
  request.rawBody = raw.toString('utf8')
  return Readable.from([raw])
}

/** The first path parameter (a batch, a serial, a partner) as the audit target when the handler named none. */
function paramTarget(request: FastifyRequest): string | null {
  const p = request.params as Record<string, unknown> | undefined
  const first = p ? Object.values(p)[0] : undefined
  return typeof first === 'string' ? first : null
}
