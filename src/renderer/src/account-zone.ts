/**
 * React's side of the account's time zone (the value itself lives in format.ts, which formats with it): the parts
 * that show an account's dates (the Account page, Help's support requests) publish the zone of the profile they
 * load and re-render, with everything under them, when the zone changes. Dates are formatted with the zone as it is
 * when they render (formatInstant's default), so a part that loaded before the profile (a line's subscription
 * often answers first) would otherwise keep UTC's day, not the account's, until something else redrew it. When the
 * last of those parts is gone (signed out, or another page), the zone goes back to UTC with none published, so the
 * next account signed in never shows its dates in the one before's zone.
 */
import { useEffect, useSyncExternalStore } from 'react'
import type { Query } from './bridge/dialtone-context'
import { clearAccountZone, publishAccountZone, publishedAccountZone, subscribeAccountZone } from './format'

/** How many mounted parts publish the zone; the last to go clears it. */
let publishers = 0

/**
 * Publishes the zone of a loaded profile and re-renders the caller when the zone in use changes, so the dates under
 * it are drawn again in the account's zone. True once account dates may be drawn: the profile's zone is published
 * (it stays true when the person changes the zone later), or the profile failed (then in UTC, as the service
 * assumes; the Account page shows that failure with the profile, Help draws its requests in UTC rather than not at
 * all). A part that keeps a day in its own state (a period's default dates) must first be drawn after that, which
 * its caller waits for.
 */
export function useAccountZoneReady(profile: Query<{ readonly timeZone: string }>): boolean {
  const next = profile.data?.timeZone
  useEffect(() => {
    publishers += 1
    return () => {
      publishers -= 1
      if (publishers === 0) clearAccountZone()
    }
  }, [])
  useEffect(() => {
    if (next) publishAccountZone(next)
  }, [next])
  const published = useSyncExternalStore(subscribeAccountZone, publishedAccountZone) !== null
  return published || profile.error !== undefined
}
