/** The error answers a route file declares for OpenAPI and response validation: the one `{ error }` body, by status. */
import { apiErrorSchema } from '../../../shared/api/common'

export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof apiErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, apiErrorSchema])) as Record<S, typeof apiErrorSchema>
}
