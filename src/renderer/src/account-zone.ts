/**
 * React's side of the account's time zone (the value itself lives in format.ts, which formats with it): the
 * Account page publishes the zone of the profile it loads, and components that count days from it re-render
 * when it changes.
 */
import { useEffect, useSyncExternalStore } from 'react'
import { accountZone, publishAccountZone, subscribeAccountZone } from './format'

/** The account's zone, re-rendering when it changes. */
export function useAccountZone(): string {
  return useSyncExternalStore(subscribeAccountZone, accountZone)
}

/** Publishes the zone of a loaded profile (the Account page's one call). */
export function usePublishAccountZone(profile: { readonly timeZone: string } | undefined): void {
  const next = profile?.timeZone
  useEffect(() => {
    if (next) publishAccountZone(next)
  }, [next])
}
