/**
 * The app's client of the account service. For now it asks whether the service answers; the account issue
 * adds the typed calls. fetch is Node's own (undici), with a timeout so a dead service cannot hang the UI.
 */
import type { ServiceStatus } from '../../shared/ipc/account'

export interface ServiceClient {
  status(baseUrl: string): Promise<ServiceStatus>
}

export function createServiceClient(timeoutMs = 2000, doFetch: typeof fetch = fetch): ServiceClient {
  return {
    async status(baseUrl) {
      const url = new URL('/v1/health', baseUrl).toString()
      try {
        const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) })
        if (!res.ok)
          return {
            url: baseUrl,
            reachable: false,
            version: null,
            error: `the service answered ${res.status}`
          }
        const body = (await res.json()) as { version?: unknown }
        return {
          url: baseUrl,
          reachable: true,
          version: typeof body.version === 'string' ? body.version : null,
          error: null
        }
      } catch (err) {
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : null
        const message =
          err instanceof Error && err.name === 'TimeoutError'
            ? `no answer within ${timeoutMs} ms`
            : (cause ?? (err instanceof Error ? err.message : String(err)))
        return { url: baseUrl, reachable: false, version: null, error: message }
      }
    }
  }
}
