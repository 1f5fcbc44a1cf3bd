/** React access to the contract: the client in context, and hooks for a command's answer and for events. */
import { createContext, useCallback, useContext, useEffect, useState } from 'react'
import type { DialtoneClient } from '../../../shared/ipc/client'
import type { CommandName, EventName, PayloadOf, ResponseOf } from '../../../shared/ipc/contract'
import { DialtoneError } from '../../../shared/ipc/errors'

export const DialtoneContext = createContext<DialtoneClient | null>(null)

export function useDialtone(): DialtoneClient {
  const client = useContext(DialtoneContext)
  if (!client) throw new Error('useDialtone outside DialtoneContext')
  return client
}

export interface Query<T> {
  data: T | undefined
  error: DialtoneError | undefined
  loading: boolean
  refresh(): void
  /** Replaces the answer with newer knowledge, typically from an event. */
  update(next: (previous: T | undefined) => T): void
}

interface Settled<T> {
  generation: number
  data?: T
  error?: DialtoneError
}

/** The answer of a no-argument command; asked again on refresh(), kept current by update(). */
export function useQuery<C extends CommandName>(name: C): Query<ResponseOf<C>> {
  type T = ResponseOf<C>
  const client = useDialtone()
  const [generation, setGeneration] = useState(0)
  const [settled, setSettled] = useState<Settled<T>>({ generation: -1 })
  useEffect(() => {
    let live = true
    ;(client.invoke as (n: C) => Promise<T>)(name).then(
      (data) => live && setSettled({ generation, data }),
      (err: unknown) =>
        live &&
        setSettled({
          generation,
          error: err instanceof DialtoneError ? err : new DialtoneError('INTERNAL', String(err))
        })
    )
    return () => {
      live = false
    }
  }, [client, name, generation])
  const refresh = useCallback(() => setGeneration((g) => g + 1), [])
  const update = useCallback(
    (next: (previous: T | undefined) => T) =>
      setSettled((s) => ({ generation: s.generation, data: next(s.data) })),
    []
  )
  return {
    data: settled.data,
    error: settled.error,
    loading: settled.generation !== generation,
    refresh,
    update
  }
}

export function useEvent<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): void {
  const client = useDialtone()
  useEffect(() => client.on(name, listener), [client, name, listener])
}
