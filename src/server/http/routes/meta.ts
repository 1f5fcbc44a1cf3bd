/** /v1/health and /v1/legal: whether the service answers (and its version), the current terms and disclosures. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { version } from '../../../../package.json'
import type { ServiceContext } from '../../context'
import { termsDocument } from '../../legal/terms'
import { routeServer } from '../serve-route'

export function metaRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['meta'], errors: [] })
    serve('health', () => ({ status: 'ok' as const, version }))
    serve('legal', () => ctx.config.legal)
    serve('terms', (query) => termsDocument(query.version ?? ctx.config.legal.termsVersion, query.language))
  }
}
