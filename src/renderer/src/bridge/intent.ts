/**
 * One idempotency key per intent (pay this cart, top up this much, redeem this code). The key survives a retry
 * whose outcome is unknown (the service was unreachable or did not answer in time: it may have acted), so the
 * retry cannot pay twice; it is replaced once the answer is final — success, or a refusal such as a wrong code —
 * so the next, different request is not mistaken for a replay of the last one.
 */
import { useCallback, useRef } from 'react'
import { DialtoneError } from '../../../shared/ipc/errors'

const UNKNOWN_OUTCOME = new Set(['UNAVAILABLE', 'TIMEOUT'])

export const isFinal = (err: unknown): boolean =>
  !(err instanceof DialtoneError && UNKNOWN_OUTCOME.has(err.code))

export function useIntent(): <R>(send: (idempotencyKey: string) => Promise<R>) => Promise<R> {
  const key = useRef<string | null>(null)
  return useCallback(async <R>(send: (idempotencyKey: string) => Promise<R>): Promise<R> => {
    key.current ??= crypto.randomUUID()
    try {
      const result = await send(key.current)
      key.current = null
      return result
    } catch (err) {
      if (isFinal(err)) key.current = null
      throw err
    }
  }, [])
}
