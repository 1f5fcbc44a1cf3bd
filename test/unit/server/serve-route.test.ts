/**
 * The service registers its routes from the shared route table (src/server/http/serve-route.ts): the input splits
 * into path parameters and body or query as the client sends them, status and auth come from the table, and a
 * service that leaves a table route unserved (or serves a /v1 route outside the table) does not start.
 */
import Fastify from 'fastify'
import {
  serializerCompiler,
  validatorCompiler,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider
} from 'fastify-type-provider-zod'
import { describe, expect, it } from 'vitest'
import type { ServiceContext } from '../../../src/server/context'
import { installErrorHandling } from '../../../src/server/http/error-handler'
import { assertServesTable, routeServer, splitInput } from '../../../src/server/http/serve-route'
import { API_ROUTES, type RouteName } from '../../../src/shared/api/routes'

const LINE = 'lin_aaaaaaaaaaaaaaaa'

describe('the split of a route input', () => {
  it('keeps path parameters apart and the refinement of the whole input on the body', () => {
    const { params, rest } = splitInput('changeNumber', API_ROUTES.changeNumber)
    expect(params?.safeParse({ lineId: LINE }).success).toBe(true)
    expect(params?.safeParse({ lineId: 'not an id' }).success).toBe(false)
    expect(rest?.safeParse({ areaCode: '212' }).success).toBe(true)
    // asksForANumber: neither an area code nor a number is refused, as the client refuses it.
    expect(rest?.safeParse({}).error?.issues[0]?.message).toBe('give an area code or a number')
    expect(rest?.safeParse({ areaCode: '212', lineId: LINE }).success).toBe(false)
  })

  it('has no body when the path parameters are the whole input, and none at all for no input', () => {
    expect(Object.keys(splitInput('cancelSubscription', API_ROUTES.cancelSubscription))).toEqual(['params'])
    expect(splitInput('lines', API_ROUTES.lines)).toEqual({})
    expect(splitInput('signIn', API_ROUTES.signIn).rest).toBe(API_ROUTES.signIn.input)
  })
})

async function serverWith(plugin: FastifyPluginAsyncZod) {
  const app = Fastify().withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorateRequest('auth', null)
  installErrorHandling(app, { info: () => undefined, warn: () => undefined, error: () => undefined })
  await app.register(plugin)
  await app.ready()
  return app
}

describe('a route served from the table', () => {
  const ctx = {} as ServiceContext

  it('answers with the table status and gives the handler the validated input', async () => {
    const seen: unknown[] = []
    const app = await serverWith(async (app) => {
      const serve = routeServer(app, ctx, { tags: ['t'], errors: [400] })
      serve('forgotPassword', (input) => {
        seen.push(input)
        return { status: 'accepted' as const, message: 'sent' }
      })
      serve('terms', (query) => {
        seen.push(query)
        return { version: 'v', language: query.language, fallback: false, text: '' }
      })
    })
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/password/forgot',
      payload: { identifier: 'a@example.com' }
    })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toEqual({ status: 'accepted', message: 'sent' })
    expect((await app.inject({ method: 'GET', url: '/v1/legal/terms?language=fr' })).statusCode).toBe(200)
    expect(seen).toEqual([{ identifier: 'a@example.com' }, { language: 'fr' }])
    const bad = await app.inject({ method: 'POST', url: '/v1/auth/password/forgot', payload: { x: 1 } })
    expect(bad.statusCode).toBe(400)
    expect(seen).toHaveLength(2)
  })

  it('asks for a session where the table says so, before looking at the input', async () => {
    let ran = false
    const app = await serverWith(async (app) => {
      routeServer(app, ctx, { tags: ['t'], errors: [400, 401] })('changeNumber', () => {
        ran = true
        throw new Error('not reached')
      })
    })
    const res = await app.inject({ method: 'POST', url: `/v1/lines/${LINE}/number`, payload: {} })
    expect(res.statusCode).toBe(401)
    expect(ran).toBe(false)
  })
})

describe('the start-up check against the table', () => {
  const all = new Map<string, string>(
    (Object.keys(API_ROUTES) as RouteName[]).map((n) => [`${API_ROUTES[n].method} ${API_ROUTES[n].path}`, n])
  )

  it('passes when every route is served from the table', () => {
    expect(() =>
      assertServesTable(new Map([...all, ['GET /v1/openapi.json', ''], ['GET /dev/mailbox', '']]))
    ).not.toThrow()
  })

  it('fails naming a table route nobody serves', () => {
    const some = new Map([...all].filter(([, n]) => n !== 'subscribeTariff'))
    expect(() => assertServesTable(some)).toThrow(/no handler for route\(s\) subscribeTariff/)
  })

  it('fails naming a /v1 route registered by hand', () => {
    expect(() => assertServesTable(new Map([...all, ['POST /v1/secret', '']]))).toThrow(/POST \/v1\/secret/)
  })
})
