/**
 * The route table (src/shared/api/routes.ts) against the server's own OpenAPI document: the service registers its
 * routes from the table (src/server/http/serve-route.ts, which also refuses to start on a mismatch); this checks
 * from outside that every route the app calls exists with that method and auth, and every /v1 route is in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_ROUTES, pathParams } from '../../../src/shared/api/routes'
import { startTestService, type TestService } from '../../support/service'

let svc: TestService
let paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> = {}

beforeAll(async () => {
  svc = await startTestService('sqlite')
  const doc = await svc.api<{ paths: typeof paths }>('GET', '/v1/openapi.json')
  expect(doc.status).toBe(200)
  paths = doc.body.paths
})
afterAll(() => svc.close())

/** '/v1/lines/:lineId' as OpenAPI writes it: '/v1/lines/{lineId}'. */
const openApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/g, '{$1}')

describe('the route table the app calls by', () => {
  it.each(Object.entries(API_ROUTES))('%s is served by the service as declared', (_name, route) => {
    const op = paths[openApiPath(route.path)]?.[route.method.toLowerCase()]
    expect(op, `${route.method} ${route.path}`).toBeDefined()
    const inPath = (op?.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)
    expect(inPath.sort()).toEqual(pathParams(route.path).sort())
  })

  it('covers every /v1 route the service has', () => {
    const declared = new Set(Object.values(API_ROUTES).map((r) => `${r.method} ${openApiPath(r.path)}`))
    const served = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)
    )
    const missing = served.filter((s) => s.includes(' /v1/') && !s.endsWith('/v1/openapi.json'))
    expect(missing.filter((s) => !declared.has(s))).toEqual([])
  })

  it('needs a session exactly where the service asks for one', async () => {
    for (const [name, route] of Object.entries(API_ROUTES)) {
      if (route.auth !== 'required') continue
      const path = route.path.replace(/:([A-Za-z]+)/g, 'xx_aaaaaaaaaaaaaaaaaaaa')
      const res = await svc.api(route.method, path, route.method === 'GET' ? undefined : {})
      expect(res.status, name).toBe(401)
    }
  })
})
