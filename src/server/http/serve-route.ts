/**
 * Registers a service route from the shared route table (src/shared/api/routes.ts), so the table is the one place a
 * route is defined: method, path, how its one input splits into path parameters and query or body, the answer's
 * schema and status, and who may call it (auth) all come from there. A route file gives only the handler, and for
 * the OpenAPI document its tag and the error statuses it answers with. The handler gets the route's whole input as
 * one validated object, the same object the app's client validated before sending.
 */
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ApiRoute } from '../../shared/api/route'
import { API_ROUTES, pathParams, type ApiRoutes, type RouteName } from '../../shared/api/routes'
import type { ServiceContext } from '../context'
import { optionalAuth, requireAuth } from './auth-hook'
import { scopeAnswer, scopeRequest } from './route-access'
import { invalid } from './errors'
import { errorResponses } from './routes/responses'

type ZodApp = Parameters<FastifyPluginAsyncZod>[0]

/** What the handler of route N receives: the table's input after validation (path parameters included). */
export type ServedInput<N extends RouteName> = ApiRoutes[N]['input'] extends z.ZodType
  ? z.output<ApiRoutes[N]['input']>
  : undefined

export type RouteHandler<N extends RouteName> = (
  input: ServedInput<N>,
  request: FastifyRequest,
  reply: FastifyReply
) => Promise<z.input<ApiRoutes[N]['output']>> | z.input<ApiRoutes[N]['output']>

/** What a route file says about its routes for the OpenAPI document: the tag and the error statuses. */
export interface RouteGroup {
  readonly tags: readonly string[]
  readonly errors: readonly number[]
}

export interface ServeOptions {
  /** Error statuses this route answers with besides its group's. */
  readonly errors?: readonly number[]
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route table entry this route serves (set by routeServer; buildServer checks every entry is served). */
    tableRoute?: RouteName
  }
}

type Parts = { params?: z.ZodType; rest?: z.ZodType }

/** No body, or the empty object the app's client sends (Fastify shows an absent body as undefined or null). */
const emptyBody = (request: FastifyRequest): boolean =>
  request.body === undefined ||
  (request.body === null && Number(request.headers['content-length'] ?? 0) === 0) ||
  (typeof request.body === 'object' &&
    request.body !== null &&
    !Array.isArray(request.body) &&
    Object.keys(request.body).length === 0)

/**
 * The table's input split the way HTTP carries it. A refinement of the whole input (zod keeps it on the object)
 * is put back on the body or query half, so the service refuses what the client refuses.
 */
export function splitInput(name: string, r: ApiRoute): Parts {
  if (r.input === null) return {}
  const names = pathParams(r.path)
  if (names.length === 0) return { rest: r.input }
  if (!(r.input instanceof z.ZodObject))
    throw new Error(`route ${name}: a route with path parameters takes an object as its input`)
  const def = r.input._zod.def
  const missing = names.filter((n) => !(n in def.shape))
  if (missing.length > 0) throw new Error(`route ${name}: the input has no ${missing.join(', ')}`)
  // zod refuses pick/omit on a refined object: build both halves from the shape, with the input's rule for
  // unknown keys, and give the refinements to the body or query half.
  const half = (keep: (key: string) => boolean, checks: typeof def.checks) =>
    new z.ZodObject({
      ...def,
      shape: Object.fromEntries(Object.entries(def.shape).filter(([k]) => keep(k))),
      checks
    })
  const params = half((k) => names.includes(k), [])
  const hasRest = Object.keys(def.shape).length > names.length
  return { params, ...(hasRest ? { rest: half((k) => !names.includes(k), def.checks) } : {}) }
}

/** The registrar a route file uses: `serve('signIn', (input, req) => signIn(ctx, input, req.ip))`. */
export function routeServer(app: ZodApp, ctx: ServiceContext, group: RouteGroup) {
  const required = requireAuth(ctx)
  const optional = optionalAuth(ctx)
  function serve<N extends RouteName>(name: N, handler: RouteHandler<N>): void
  function serve<N extends RouteName>(name: N, options: ServeOptions, handler: RouteHandler<N>): void
  function serve<N extends RouteName>(name: N, a: ServeOptions | RouteHandler<N>, b?: RouteHandler<N>): void {
    const options = typeof a === 'function' ? {} : a
    const handler = typeof a === 'function' ? a : b
    if (!handler) throw new Error(`route ${name}: no handler`)
    const r: ApiRoute = API_ROUTES[name]
    const { params, rest } = splitInput(name, r)
    const status = r.status ?? 200
    const restPart = r.method === 'GET' ? 'querystring' : 'body'
    // A route whose input is all in its path (or that has none) takes no body: the app sends `{}` or nothing,
    // and anything else is refused like any input the table does not describe, never silently ignored.
    const takesNoBody = !rest && r.method !== 'GET'
    const schema = {
      tags: [...group.tags],
      ...(params ? { params } : {}),
      ...(rest ? { [restPart]: rest } : {}),
      // Every signed-in route may answer 403: a business member's role may not allow it (./route-access.ts).
      response: {
        [status]: r.output,
        ...errorResponses(...group.errors, ...(r.auth === 'none' ? [] : [403]), ...(options.errors ?? []))
      }
    }
    // The session is checked before the body is validated, so a caller without one learns nothing about what the
    // body should be: once the body has arrived and the admission control let the request in (./admission.ts);
    // but before the body is read on the few routes that take a large one (bodyLimit), so that nobody without a
    // session can make the service hold that much.
    const authHook = r.auth === 'required' ? required : r.auth === 'optional' ? optional : undefined
    const authAt = r.bodyLimit ? 'onRequest' : 'preValidation'
    const route: RouteOptions = {
      method: r.method,
      url: r.path,
      schema,
      config: { tableRoute: name },
      ...(r.bodyLimit ? { bodyLimit: r.bodyLimit } : {}),
      ...(authHook ? { [authAt]: authHook } : {}),
      handler: async (request, reply) => {
        // Fastify validated (and transformed) each part against the schemas above; join them back into the one
        // input the table describes.
        if (takesNoBody && !emptyBody(request))
          throw invalid('body', 'this request takes no body', 'invalid-input')
        const fromRest = r.method === 'GET' ? request.query : request.body
        const input =
          r.input === null
            ? undefined
            : params
              ? { ...(request.params as object), ...((rest ? fromRest : {}) as object) }
              : fromRest
        await scopeRequest(ctx, name, request, input)
        const answer = await scopeAnswer(
          ctx,
          name,
          request,
          await handler(input as ServedInput<N>, request, reply)
        )
        return reply.status(status).send(answer)
      }
    }
    app.route(route as Parameters<ZodApp['route']>[0])
  }
  return serve
}

/**
 * Fails the service's start, loudly, unless every route of the table is served from the table and every /v1 route
 * it serves is in the table. `served` maps "METHOD /path" to the table entry that registered it ('' for a route
 * registered by hand). Besides /v1 the service has only pages outside the API (the dev mailbox).
 */
export function assertServesTable(served: ReadonlyMap<string, string>): void {
  const fromTable = new Set(served.values())
  const unserved = (Object.keys(API_ROUTES) as RouteName[]).filter((name) => !fromTable.has(name))
  const byHand = [...served]
    .filter(([key, name]) => name === '' && / \/v1\//.test(key) && key !== 'GET /v1/openapi.json')
    .map(([key]) => key)
  const problems = [
    ...(unserved.length ? [`no handler for route(s) ${unserved.join(', ')}`] : []),
    ...(byHand.length ? [`/v1 route(s) not in the route table: ${byHand.join(', ')}`] : [])
  ]
  if (problems.length > 0)
    throw new Error(`the service does not match its route table: ${problems.join('; ')}`)
}
