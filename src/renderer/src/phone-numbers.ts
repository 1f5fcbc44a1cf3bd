/**
 * Phone numbers on screen: every component shows a number through usePhoneNumbers(), which formats it with the
 * app's one formatting function (src/shared/numbers/phone-format.ts). That module carries libphonenumber's
 * metadata (~30 KiB gzip), so it is its own chunk, fetched the first time a screen formats a number: the first
 * page (a new start's Device page shows none) and a page with a dongle and no call yet never fetch it. Until it has
 * arrived (a moment, once per run) a number shows as it came; then every screen re-renders with the formatted one.
 */
import { useCallback, useSyncExternalStore } from 'react'
import type * as PhoneFormat from '../../shared/numbers/phone-format'

type Format = (value: string) => string
/** The formatting module itself, once fetched: usePhoneNumbers() and the typing fields (PhoneField) share it. */
export type PhoneFormatModule = typeof PhoneFormat

let loaded: PhoneFormatModule | null = null
let loading = false
const listeners = new Set<() => void>()

/** Fetches the formatting chunk once; every hook using it re-renders when it has arrived. */
export function loadPhoneFormat(): void {
  if (loading) return
  loading = true
  import('../../shared/numbers/phone-format')
    .then((m) => {
      loaded = m
      for (const l of listeners) l()
    })
    // Offline with a stale page (the chunk gone after an update): numbers stay as they came; a later one retries.
    .catch(() => (loading = false))
}

const subscribe = (listener: () => void): (() => void) => {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}
const current = (): PhoneFormatModule | null => loaded

/** The formatting module, or null until it has arrived (the caller starts the fetch with loadPhoneFormat()). */
export function usePhoneFormatModule(): PhoneFormatModule | null {
  return useSyncExternalStore(subscribe, current, current)
}

/**
 * The formatter for this component's numbers ("(212) 555-0100", "+44 20 7946 0958"), plain: isolate it where it
 * stands outside a translated sentence (i18next isolates interpolated values).
 */
export function usePhoneNumbers(): Format {
  const m = usePhoneFormatModule()
  return useCallback(
    (value: string) => {
      if (m) return m.formatPhoneNumber(value)
      loadPhoneFormat()
      return value
    },
    [m]
  )
}
