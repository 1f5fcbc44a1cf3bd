/**
 * /v1/health and /v1/legal: whether the service answers (and its version), the versions of the texts a person
 * accepts today, and each text in full in a language (the terms of service, the 911 disclosure).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { version } from '../../../../package.json'
import type { ServiceContext } from '../../context'
import { e911Document } from '../../legal/e911'
import { termsDocument } from '../../legal/terms'
import { routeServer } from '../serve-route'

export function metaRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['meta'], errors: [] })
    serve('health', () => ({ status: 'ok' as const, version }))
    serve('legal', () => ({
      ...ctx.config.legal,
      // For apps from before the disclosure was served per language: their contract requires the English text.
      e911Disclosure: e911Document(ctx.config.legal.e911DisclosureVersion, 'en')
        .text.replace(/\s+/g, ' ')
        .trim()
    }))
    serve('terms', (query) => termsDocument(query.version ?? ctx.config.legal.termsVersion, query.language))
    serve('e911Disclosure', (query) =>
      e911Document(query.version ?? ctx.config.legal.e911DisclosureVersion, query.language)
    )
  }
}
