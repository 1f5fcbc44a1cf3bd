/**
 * The app's HTTP client of the account service, typed by the shared route table (src/shared/api/routes.ts).
 * It validates the input before sending (bad input never leaves the machine), sends path parameters in the
 * path, the rest as query (GET) or JSON body, and validates the answer against the route's schema, so a
 * service that drifts from the contract is caught here rather than in a screen. fetch is Node's own (undici),
 * with a timeout so a dead service cannot hang the UI. No library adds anything over fetch + zod for this.
 */
import { apiErrorSchema, type ApiErrorCode } from '../../shared/api/common'
import { issuesFromZod, type WireIssue } from '../../shared/api/issues'
import type { ReasonParams } from '../../shared/api/reasons'
import {
  API_ROUTES,
  pathParams,
  type RouteInput,
  type RouteName,
  type RouteOutput
} from '../../shared/api/routes'
import type { ServiceStatus } from '../../shared/ipc/account'

/** Why a call failed: the service's own error code, or what went wrong on the way. */
export type ServiceFailure = ApiErrorCode | 'unreachable' | 'timeout' | 'bad-response'

export class ServiceCallError extends Error {
  constructor(
    readonly failure: ServiceFailure,
    message: string,
    readonly options: {
      readonly status?: number
      readonly reason?: string
      readonly params?: ReasonParams
      readonly issues?: readonly WireIssue[]
      readonly retryAfterS?: number
    } = {}
  ) {
    super(message)
    this.name = 'ServiceCallError'
  }
}

export interface CallOptions {
  /** The session token, for routes that need or accept one. Never logged. */
  readonly token?: string | null
  /** Ends the call early (a long poll the app no longer wants): it fails as 'unreachable'. */
  readonly signal?: AbortSignal
}

export interface ServiceClient {
  status(baseUrl: string): Promise<ServiceStatus>
  call<N extends RouteName>(
    baseUrl: string,
    name: N,
    input: RouteInput<N>,
    options?: CallOptions
  ): Promise<RouteOutput<N>>
}

const messageOf = (err: unknown): string => {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : null
  return cause ?? (err instanceof Error ? err.message : String(err))
}

/** Splits a validated input into the request's URL and body. */
function buildRequest(
  baseUrl: string,
  name: RouteName,
  input: unknown
): { url: URL; body: string | undefined } {
  const r = API_ROUTES[name]
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown> | undefined) }
  let path = r.path
  for (const p of pathParams(r.path)) {
    path = path.replace(`:${p}`, encodeURIComponent(String(rest[p])))
    delete rest[p]
  }
  const url = new URL(path, baseUrl)
  if (r.method === 'GET') {
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) url.searchParams.set(k, String(v))
    return { url, body: undefined }
  }
  return { url, body: r.input === null ? undefined : JSON.stringify(rest) }
}

/**
 * Backing off when the service says it is busy: a 503 with Retry-After (admission control's `overloaded`, or
 * `database-busy`) means nothing was done, so the same request is sent again after the wait the service asked for
 * plus a little jitter (so clients refused together do not return together). Only short waits are taken here; a
 * longer one, or the last refusal, reaches the person in words (errors.reason.*).
 */
export interface BackOff {
  readonly retries: number
  /** Longest Retry-After the client waits out by itself, in seconds. */
  readonly maxWaitS: number
  readonly sleep: (ms: number) => Promise<void>
  /** 0..1, times the wait: the added jitter. */
  readonly random: () => number
}

export const DEFAULT_BACK_OFF: BackOff = {
  retries: 2,
  maxWaitS: 5,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random
}

export function createServiceClient(
  timeoutMs = 5000,
  doFetch: typeof fetch = fetch,
  backOff: BackOff = DEFAULT_BACK_OFF
): ServiceClient {
  const client: ServiceClient = {
    async status(baseUrl) {
      try {
        const health = await client.call(baseUrl, 'health', undefined)
        return { url: baseUrl, reachable: true, version: health.version, reason: null, error: null }
      } catch (err) {
        const status = err instanceof ServiceCallError ? err.options.status : undefined
        const error = status !== undefined ? `the service answered ${status}` : messageOf(err)
        const reason =
          status !== undefined
            ? ('bad-response' as const)
            : err instanceof ServiceCallError && err.failure === 'timeout'
              ? ('timeout' as const)
              : ('unreachable' as const)
        return { url: baseUrl, reachable: false, version: null, reason, error }
      }
    },

    async call(baseUrl, name, input, options = {}) {
      const r = API_ROUTES[name]
      let checked: unknown = undefined
      if (r.input !== null) {
        const parsed = r.input.safeParse(input)
        if (!parsed.success)
          throw new ServiceCallError('invalid-input', 'the request is not valid', {
            reason: 'invalid-input',
            issues: issuesFromZod(parsed.error, input)
          })
        checked = parsed.data
      }
      const { url, body } = buildRequest(baseUrl, name, checked)
      const headers: Record<string, string> = { accept: 'application/json' }
      if (body !== undefined) headers['content-type'] = 'application/json'
      if (options.token && r.auth !== 'none') headers.authorization = `Bearer ${options.token}`

      let res: Response
      let json: unknown
      // A long poll (the route's holdsS) may be held that long before its answer comes.
      const waitMs = timeoutMs + (r.holdsS ?? 0) * 1000
      for (let attempt = 0; ; attempt++) {
        try {
          const timeout = AbortSignal.timeout(waitMs)
          res = await doFetch(url, {
            method: r.method,
            headers,
            body,
            signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout
          })
        } catch (err) {
          if (err instanceof Error && err.name === 'TimeoutError')
            throw new ServiceCallError('timeout', `no answer within ${waitMs} ms`)
          throw new ServiceCallError('unreachable', messageOf(err))
        }
        json = await res.json().catch(() => undefined)
        const wait = Number(res.headers.get('retry-after'))
        const busy = res.status === 503 && Number.isInteger(wait) && wait > 0 && wait <= backOff.maxWaitS
        if (!busy || attempt >= backOff.retries) break
        await backOff.sleep(wait * 1000 * (1 + 0.5 * backOff.random()))
      }
      if (!res.ok) {
        const parsed = apiErrorSchema.safeParse(json)
        if (!parsed.success)
          throw new ServiceCallError('bad-response', `the service answered ${res.status}`, {
            status: res.status
          })
        const e = parsed.data.error
        const retry = Number(res.headers.get('retry-after'))
        throw new ServiceCallError(e.code, e.message, {
          status: res.status,
          reason: e.reason,
          params: e.params,
          issues: e.issues,
          retryAfterS: Number.isFinite(retry) && retry > 0 ? retry : undefined
        })
      }
      const out = r.output.safeParse(json)
      if (!out.success)
        throw new ServiceCallError('bad-response', `the service's answer to ${name} breaks the contract`, {
          status: res.status
        })
      return out.data as never
    }
  }
  return client
}
