/**
 * The account, provisioning and billing service as a Fastify app: JSON under /v1, every input and output
 * described by the zod schemas in src/shared/api (validated on the way in, serialised on the way out, and turned
 * into the OpenAPI document at /v1/openapi.json). Security that applies to every route lives here: a small body
 * limit, no cross-origin browser requests, no caching, and errors that never leak internals.
 */
import swagger from '@fastify/swagger'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider
} from 'fastify-type-provider-zod'
import { version } from '../../package.json'
import { assertServesTable } from './http/serve-route'
import { isLoopbackHost } from './config'
import type { ServiceContext } from './context'
import { ServiceError } from './http/errors'
import { installErrorHandling } from './http/error-handler'
import { installAdmission } from './http/admission'
import { REQUEST_LOG_SERIALIZERS } from './http/request-log'
import { accountRoutes } from './http/routes/account'
import { devMailboxRoutes } from './http/routes/dev-mailbox'
import { deviceRoutes } from './http/routes/devices'
import { identityRoutes } from './http/routes/identity'
import { lineRoutes } from './http/routes/lines'
import { forwardingRoutes } from './http/routes/forwarding'
import { billingRoutes, catalogRoutes } from './http/routes/billing'
import { voicemailRoutes } from './http/routes/voicemail'
import { supportRoutes } from './http/routes/support'
import { servicesRoutes } from './http/routes/services'
import { businessRoutes } from './http/routes/business'
import { offerRoutes } from './http/routes/offers'
import { balanceRoutes } from './http/routes/balance'
import { metaRoutes } from './http/routes/meta'
import { OPERATOR_SCHEME, opsRoutes, withoutOps } from './ops/http/ops-routes'

export const BODY_LIMIT = 16 * 1024

/**
 * The longest a request may take to arrive whole (ms): Fastify's default is none, and a sender who never finishes
 * a body would keep its connection, and the service's close, for ever. A minute carries the largest body (an ops
 * upload of 4 MiB) over a slow link; Node checks it every 30 s, so such a sender is cut within 90 s.
 */
const REQUEST_TIMEOUT_MS = 60_000

/** The name in a Host header, without its port ("[::1]:4780" -> "::1"). */
function hostName(host: string): string {
  const h = host.trim().toLowerCase()
  const v6 = /^\[([^\]]+)\]/.exec(h)
  return v6 ? (v6[1] ?? '') : (h.split(':')[0] ?? '')
}

export interface ServerOptions {
  readonly logger?: FastifyBaseLogger
  /** Browser origins allowed to call the API (none by default: the desktop app calls from Node, without Origin). */
  readonly allowedOrigins?: readonly string[]
}

export async function buildServer(
  ctx: ServiceContext,
  options: ServerOptions = {}
): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // X-Forwarded-For is believed only from the configured load balancers (proxy-addr walks it from the right).
    trustProxy: ctx.config.trustedProxies.length > 0 ? [...ctx.config.trustedProxies] : false,
    // Requests are logged by their path, never their query string (./http/request-log.ts), whatever the logger.
    ...(options.logger
      ? { loggerInstance: options.logger.child({}, { serializers: REQUEST_LOG_SERIALIZERS }) }
      : { logger: false }),
    ajv: { customOptions: { removeAdditional: false } },
    // A path Fastify cannot decode (bad percent-encoding) is answered before the routes' error handler: with the
    // shared error body and its reason too, not Fastify's own English one.
    // A path segment past the router's maxParamLength (100) keeps its 414.
    frameworkErrors: (error, _request, reply) => {
      const bad = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      if (!bad) ctx.log.error(`request refused by the framework: ${error.message}`)
      const answer = bad
        ? new ServiceError('invalid-input', 'the address of this request is not valid', {
            reason: 'invalid-input'
          })
        : new ServiceError('internal', 'something went wrong on our side; nothing was changed', {
            reason: 'internal'
          })
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : answer.status
      void (reply as FastifyReply).status(status).send(answer.toBody())
    }
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorateRequest('auth', null)
  installErrorHandling(app, ctx.log)
  // First of the preValidation hooks (before the routes' session checks): a refused request costs its reading.
  installAdmission(app, { maxInFlight: ctx.config.maxInFlight, maxQueued: ctx.config.maxQueued })

  const allowed = new Set(options.allowedOrigins ?? [])
  const hosts = ctx.config.allowedHosts ? new Set(ctx.config.allowedHosts.map((h) => h.toLowerCase())) : null
  app.addHook('onRequest', async (request) => {
    // A page on a rebound DNS name reaches this port with its own Host: answer only to the names we serve.
    const name = hostName(request.headers.host ?? '')
    if (hosts ? !hosts.has(name) : !isLoopbackHost(name))
      throw new ServiceError('forbidden', 'this service does not answer to that host name', {
        reason: 'host-not-allowed'
      })
    // A browser page on another origin must not drive this API; the app itself sends no Origin header.
    const origin = request.headers.origin
    if (origin !== undefined && !allowed.has(origin))
      throw new ServiceError('forbidden', 'requests from web pages on other origins are not accepted', {
        reason: 'cross-origin'
      })
  })
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    if (!reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
  })

  // Every route of the table must be served from it (src/server/http/serve-route.ts): checked once all are in.
  const served = new Map<string, string>()
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat())
      if (method !== 'HEAD') served.set(`${method} ${r.url}`, r.config?.tableRoute ?? '')
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Dialtone account and provisioning service', version },
      components: {
        securitySchemes: {
          session: { type: 'http', scheme: 'bearer', description: 'dts_… session token from sign-in' },
          // The ops API's (issue 20); /v1/openapi.json leaves it out with the /ops paths.
          operator: { type: 'http', scheme: 'bearer', description: OPERATOR_SCHEME }
        }
      }
    },
    transform: jsonSchemaTransform
  })

  await app.register(metaRoutes(ctx))
  await app.register(identityRoutes(ctx))
  await app.register(accountRoutes(ctx))
  await app.register(deviceRoutes(ctx))
  await app.register(lineRoutes(ctx))
  await app.register(forwardingRoutes(ctx))
  await app.register(catalogRoutes(ctx))
  await app.register(billingRoutes(ctx))
  await app.register(balanceRoutes(ctx))
  await app.register(offerRoutes(ctx))
  await app.register(voicemailRoutes(ctx))
  // support (issue 25)
  await app.register(supportRoutes(ctx))
  // connected services (issue 25)
  await app.register(servicesRoutes(ctx))
  // business accounts (issue 25)
  await app.register(businessRoutes(ctx))
  // The operators' API (issue 20): its own prefix, route table and OpenAPI document (/ops/v1/openapi.json).
  await app.register(opsRoutes(ctx))
  if (ctx.config.devMailbox && ctx.config.mode === 'development') await app.register(devMailboxRoutes(ctx))
  // Generated from every route registered above; not in the route table (the app never calls it).
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => withoutOps(app.swagger()))
  await app.ready()
  assertServesTable(served)
  return app
}
