/**
 * A contract command that is exactly one service route: the route's input is the request, its answer the
 * response, and the def names the route. Main's dispatcher answers every such command the same way (it calls the
 * route the def names, src/main/account/account-handlers.ts), so a new one is one line and cannot lack a handler.
 */
import type { z } from 'zod'
import { API_ROUTES, type ApiRoutes, type RouteName } from '../api/routes'
import { noArgs, type CommandDef } from './define'

type PassRequest<N extends RouteName> = ApiRoutes[N]['input'] extends z.ZodType
  ? ApiRoutes[N]['input']
  : typeof noArgs

/** A command that is exactly one service route. */
export const pass = <N extends RouteName>(
  name: N,
  summary: string
): CommandDef<PassRequest<N>, ApiRoutes[N]['output']> & { readonly route: N } => ({
  request: (API_ROUTES[name].input ?? noArgs) as PassRequest<N>,
  response: API_ROUTES[name].output as ApiRoutes[N]['output'],
  summary,
  route: name
})
