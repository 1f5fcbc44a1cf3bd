/**
 * The text of src/shared/ops/route-heads.ts, derived from the ops route table (src/shared/ops/routes.ts, the one
 * source): each route's method, path, path parameters and whether it sends a body. Written by
 * scripts/ops-route-heads.ts; test/unit/shared/ops-route-heads.test.ts fails when the file differs from it.
 */
import { format, resolveConfig } from 'prettier'
import { pathParams } from '../../src/shared/api/route'
import { OPS_ROUTES } from '../../src/shared/ops/routes'

export const ROUTE_HEADS_FILE = 'src/shared/ops/route-heads.ts'

export async function routeHeadsSource(file: string): Promise<string> {
  const heads = Object.entries(OPS_ROUTES).map(
    ([name, r]) =>
      `  ${name}: { method: '${r.method}', path: '${r.path}', params: ${JSON.stringify(pathParams(r.path))}, body: ${r.method !== 'GET' && r.input !== null} },`
  )
  const text = `/**
 * GENERATED from the ops route table (./routes.ts) by \`node --import tsx scripts/ops-route-heads.ts\`; do not edit.
 * Each route's method, path, path parameters and whether it sends a JSON body: what \`dialtone-ops\` calls by
 * (server/ops/cli/client.ts), so the CLI starts without building the table's zod schemas (about half of its
 * start-up, issue 24). test/unit/shared/ops-route-heads.test.ts fails when this file and the table differ.
 */
import type { HttpMethod } from '../api/route'
import type { OpsRouteName } from './routes'

export interface OpsRouteHead {
  readonly method: HttpMethod
  readonly path: string
  readonly params: readonly string[]
  readonly body: boolean
}

export const OPS_ROUTE_HEADS: { readonly [N in OpsRouteName]: OpsRouteHead } = {
${heads.join('\n')}
}
`
  return format(text, { ...(await resolveConfig(file)), filepath: file })
}
