/**
 * React's side of the account's time zone (the value itself lives in format.ts, which formats with it): the
 * Account page publishes the zone of the profile it loads and re-renders, with everything under it, when the zone
 * changes. Its parts format dates with the zone as it is when they render (formatInstant's default), so a part
 * that loaded before the profile (a line's subscription often answers first) would otherwise keep UTC's day, not
 * the account's, until something else redrew it.
 */
import { useEffect, useSyncExternalStore } from 'react'
import { publishAccountZone, publishedAccountZone, subscribeAccountZone } from './format'

/**
 * Publishes the zone of a loaded profile (the Account page's one call) and re-renders the caller when the zone in
 * use changes, so the dates under it are drawn again in the account's zone. True once the profile's zone has been
 * published (it stays true when the person changes the zone later): a part that keeps a day in its own state (a
 * period's default dates) must first be drawn after that, which the Account page waits for.
 */
export function usePublishAccountZone(profile: { readonly timeZone: string } | undefined): boolean {
  const next = profile?.timeZone
  useEffect(() => {
    if (next) publishAccountZone(next)
  }, [next])
  return useSyncExternalStore(subscribeAccountZone, publishedAccountZone) !== null
}
