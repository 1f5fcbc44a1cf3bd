/**
 * Where a failed setup step's sentence (`setup.failure.<code>`) sends the person, beside its "Try again": a dongle
 * update that needs a newer app is fixed in Settings' updates, an account service out of reach in Settings where
 * its address is; every other failure's way on (when Try again is not enough) is support, on Help. One table, so the
 * sentence and its link never part (test/unit/renderer/setup-diagnostics-places.test.ts holds them together).
 */
import { type Remedy, SETTINGS, SUPPORT, UPDATES } from '../../remedies'

const PLACES: Readonly<Record<string, Remedy>> = {
  'app-too-old': UPDATES,
  'service-unreachable': SETTINGS
}

export const failurePlace = (code: string | undefined): Remedy =>
  (code !== undefined && Object.hasOwn(PLACES, code) ? PLACES[code] : undefined) ?? SUPPORT
