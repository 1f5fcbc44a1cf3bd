/**
 * What a topic's handler file exports: one handler per route it owns (typed by route name, so a route of the
 * table without a handler does not compile once ops-routes.ts joins the topics), and the caller of a route that
 * needs one.
 */
import type { OpsRouteName } from '../../../shared/ops/routes'
import type { Act, OpsHandler } from './serve-ops'

export type HandlersOf<N extends OpsRouteName> = { [K in N]: OpsHandler<K> }

export const actorOf = (act: Act) => {
  if (!act.actor) throw new Error('an ops route that needs a caller ran without one')
  return act.actor
}
