/**
 * One route of the service, and the helpers the two halves of the route table share. The table is the one source
 * of truth for a route: the app's client calls by it (src/main/account/service-client.ts), the service registers
 * each route from it (src/server/http/serve-route.ts), and the contract derives from it which commands may change
 * a line (LINE_CHANGING_ROUTES).
 */
import { z } from 'zod'
import { id } from './common'

/** The names of a path's `:parameters`, in order. */
export const pathParams = (path: string): string[] =>
  [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '')

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** The success statuses the service answers with: 201 when something was made, 202 when it was only queued. */
export type SuccessStatus = 200 | 201 | 202

export interface ApiRoute<I extends z.ZodType | null = z.ZodType | null, O extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod
  /** With `:name` for each path parameter, which the client takes out of the input. */
  readonly path: string
  /**
   * null when the route takes nothing. Path parameters, query and body together as one object: GET sends what is
   * left after the path parameters as the query string, the others as a JSON body. A refinement of the whole
   * object is checked again on the body (or query) half by the service, so write it over those fields only.
   */
  readonly input: I
  readonly output: O
  /** 'optional' routes act for the signed-in account when there is one (e.g. add a device to it). */
  readonly auth: 'required' | 'optional' | 'none'
  /** The status of a successful answer (200 when not said). */
  readonly status?: SuccessStatus
  /**
   * After it succeeds, a line of the account may have changed (in service now, another number, paid longer, gone),
   * or what the phone enforces on it (the blocked numbers): main tells the phone and the setup to look again.
   */
  readonly changesLines?: true
  /**
   * Bytes, when the route takes more than the service's 16 KiB: the few that carry audio (a voicemail greeting)
   * or a support request with its diagnostics report.
   */
  readonly bodyLimit?: number
  /**
   * Seconds the service may hold the answer (a long poll, ./line-changes.ts): the app's client waits that much
   * longer than its usual timeout, and the admission control stops counting the request as work while it waits.
   */
  readonly holdsS?: number
}

export const route = <I extends z.ZodType | null, O extends z.ZodType>(r: ApiRoute<I, O>): ApiRoute<I, O> => r

export const lineParam = z.object({ lineId: id }).strict()
