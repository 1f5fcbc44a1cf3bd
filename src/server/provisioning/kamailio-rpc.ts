/**
 * Kamailio's JSON-RPC over HTTP (jsonrpcs + xhttp, loopback only in our config): one call (callKamailio), and
 * what the service asks with it here, removing the registrations of a line it disabled, because deleting the
 * subscriber row only stops the *next* REGISTER; existing bindings would otherwise keep receiving calls until they
 * expire. The ops API's flood bans call it too (ops/http/sip-handlers.ts).
 */
export interface KamailioRpc {
  /** Drop every registration of a SIP user; true when Kamailio confirmed (or had none). */
  removeRegistrations(username: string): Promise<boolean>
}

/** A JSON-RPC answer of Kamailio's: its result, or its error (404: what was asked for is not there). */
export interface KamailioAnswer {
  readonly result?: unknown
  readonly error?: { readonly code?: number; readonly message?: string }
}

/** One JSON-RPC call to Kamailio at `url`; throws when it does not answer within `timeoutMs`. */
export async function callKamailio(
  url: string,
  method: string,
  params: readonly unknown[],
  timeoutMs = 2000
): Promise<KamailioAnswer> {
  const res = await postRetryingClosed(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }),
    signal: AbortSignal.timeout(timeoutMs)
  })
  return (await res.json()) as KamailioAnswer
}

export function createKamailioRpc(
  url: string | null,
  onError: (message: string) => void,
  timeoutMs = 2000
): KamailioRpc {
  return {
    async removeRegistrations(username) {
      if (!url) return false
      try {
        const body = await callKamailio(url, 'ul.rm', ['location', username], timeoutMs)
        // 404 "AOR not found" means there was nothing to remove: the goal holds.
        if (body.error && body.error.code !== 404 && !/not found/i.test(body.error.message ?? '')) {
          onError(
            // Not the username: it is the line's number, which stays out of logs (the caller names the line).
            `Kamailio refused to remove a line's registrations: ${body.error.message ?? 'unknown error'}`
          )
          return false
        }
        return true
      } catch (err) {
        const said = err instanceof Error ? err.message : String(err)
        const cause = (err as { cause?: { message?: string } }).cause?.message
        onError(`Kamailio RPC at ${url} did not answer: ${said}${cause ? ` (${cause})` : ''}`)
        return false
      }
    }
  }
}

/**
 * fetch, sent a second time when the first failed on its connection before any answer ("fetch failed": a kept-alive
 * connection the other side had just closed, which Node's fetch reuses; seen once in CI). Not after a timeout:
 * Kamailio may be working on it. ul.rm removes what is there, so a second one changes nothing more.
 */
export async function postRetryingClosed(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (err) {
    if (!(err instanceof TypeError) || init.signal?.aborted) throw err
    return fetch(url, init)
  }
}
