/**
 * Where a failed setup step's sentence (`setup.failure.<code>`) sends the person, beside its "Try again": a dongle
 * update that needs a newer app is fixed in Settings' updates, an account service out of reach in Settings where
 * its address is; every other failure ends "if it stays, contact support", which is Help. One table, so the
 * sentence and its link never part (test/unit/renderer/setup-diagnostics-places.test.ts holds them together).
 */
import { type Remedy, SUPPORT, UPDATES } from '../../remedies'

/** Settings, where the account service's address is (Settings' own words for the link, as the line's problem). */
export const SETTINGS: Remedy = { href: '#/settings', label: 'line.openSettings' }

const PLACES: Readonly<Record<string, Remedy>> = {
  'app-too-old': UPDATES,
  'service-unreachable': SETTINGS
}

export const failurePlace = (code: string | undefined): Remedy =>
  (code !== undefined && Object.hasOwn(PLACES, code) ? PLACES[code] : undefined) ?? SUPPORT
