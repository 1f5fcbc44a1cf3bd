/** React access to the contract: the client in context, and hooks for a command's answer and for events. */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react'
import type { ArgsOf, DialtoneClient } from '../../../shared/ipc/client'
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
  key?: string
  data?: T
  error?: DialtoneError
}

/**
 * The answer of a command: asked again when its arguments change (compared as JSON) and on refresh(), kept
 * current by update(). `null` arguments mean "not yet" (nothing is asked, loading stays false).
 */
export function useQuery<C extends CommandName>(name: C, ...args: ArgsOf<C> | [null]): Query<ResponseOf<C>> {
  type T = ResponseOf<C>
  const client = useDialtone()
  const [generation, setGeneration] = useState(0)
  const [settled, setSettled] = useState<Settled<T>>({ generation: -1 })
  const key = args.length === 0 ? '' : JSON.stringify(args[0])
  const skip = args.length > 0 && args[0] === null
  const keyRef = useRef(key)
  useEffect(() => {
    keyRef.current = key
  }, [key])
  useEffect(() => {
    if (skip) return
    let live = true
    const request = key === '' ? [] : [JSON.parse(key) as unknown]
    ;(client.invoke as (n: C, ...a: unknown[]) => Promise<T>)(name, ...request).then(
      (data) => live && setSettled({ generation, key, data }),
      (err: unknown) => live && setSettled({ generation, key, error: asDialtoneError(err) })
    )
    return () => {
      live = false
    }
  }, [client, name, generation, key, skip])
  const refresh = useCallback(() => setGeneration((g) => g + 1), [])
  const update = useCallback(
    (next: (previous: T | undefined) => T) =>
      setSettled((s) => ({ generation: s.generation, key: keyRef.current, data: next(s.data) })),
    []
  )
  const current = settled.key === key
  return {
    data: current ? settled.data : undefined,
    error: current ? settled.error : undefined,
    loading: !skip && (settled.generation !== generation || !current),
    refresh,
    update
  }
}

export function asDialtoneError(err: unknown): DialtoneError {
  return err instanceof DialtoneError ? err : new DialtoneError('INTERNAL', String(err))
}

export interface Action<A extends unknown[], R> {
  run(...args: A): Promise<R | undefined>
  pending: boolean
  error: DialtoneError | undefined
  /** The last answer, until the next run. */
  data: R | undefined
  /** Forgets the last error (the person changed the form). */
  clear(): void
}

/**
 * A command the person starts (a form's submit): pending while it runs, its refusal kept to show beside the
 * form, the answer returned (undefined when it failed). A second run while one is pending is ignored, so a
 * double click cannot pay twice even before the idempotency key would.
 */
export function useAction<A extends unknown[], R>(work: (...args: A) => Promise<R>): Action<A, R> {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<DialtoneError | undefined>(undefined)
  const [data, setData] = useState<R | undefined>(undefined)
  const busy = useRef(false)
  // The newest `work` (forms pass a fresh closure each render), so `run` itself can stay the same function.
  const latest = useRef(work)
  useEffect(() => {
    latest.current = work
  }, [work])
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    if (busy.current) return undefined
    busy.current = true
    setPending(true)
    setError(undefined)
    setData(undefined)
    try {
      const result = await latest.current(...args)
      setData(() => result)
      return result
    } catch (err) {
      setError(asDialtoneError(err))
      return undefined
    } finally {
      busy.current = false
      setPending(false)
    }
  }, [])
  const clear = useCallback(() => setError(undefined), [])
  return { run, pending, error, data, clear }
}

export function useEvent<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): void {
  const client = useDialtone()
  useEffect(() => client.on(name, listener), [client, name, listener])
}
