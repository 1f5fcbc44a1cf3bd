/**
 * Which country a +1 number belongs to and what calling it costs: the one source of truth for the North American
 * Numbering Plan's zones, read by rating (billing/rates.ts), forwarding (forwarding/forwarding.ts) and Kamailio
 * (resources/kamailio/services.cfg, through the defines kamailioNanpDefines() builds at start).
 *
 * NANP is not "domestic": it spans the US and Canada, the US territories (Puerto Rico, USVI, Guam, Northern
 * Marianas, American Samoa) and some 17 other countries (Jamaica 876, Dominican Republic 809/829/849, Bahamas
 * 242, ...) whose termination costs real money and which are classic revenue-share fraud targets; 900 is premium
 * rate. A line's plan includes the US, Canada and the territories; another NANP country is an international call
 * (rated per minute, subject to the line's international switch, not a forwarding target); premium rate is refused.
 *
 * The countries come from libphonenumber's metadata (each NANP member's leading digits, i.e. its area codes), the
 * premium area codes from its US PREMIUM_RATE pattern, so an update of libphonenumber-js updates rating,
 * forwarding and Kamailio together. The table is by area code rather than by parsing each number, because
 * libphonenumber gives no country for a number it finds invalid (+1 242 555 0123 has none), and a number it does
 * not know must not fall back to "included". Kamailio cannot run JavaScript, so it gets the same table as two
 * regular expressions passed as defines at start (scripts/lib/stack.ts, test/support/kamailio.ts): no schema or
 * role grant, no query per call, and the table changes only with a new build, which restarts Kamailio. A
 * launcher that omits them leaves services.cfg with an undefined name, and Kamailio does not start (fails closed).
 *
 * The 'max' metadata (~145 KiB) is for the service and scripts only: the renderer formats with
 * 'libphonenumber-js/min' (shared/numbers/phone-format.ts) and must never import this module.
 */
import {
  type CountryCode,
  Metadata,
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString
} from 'libphonenumber-js/max'

/** NANP countries whose calls every line's plan includes: the US, Canada and the US territories. */
export const INCLUDED_NANP_COUNTRIES: ReadonlySet<CountryCode> = new Set<CountryCode>([
  'US',
  'CA',
  'PR',
  'VI',
  'GU',
  'MP',
  'AS'
])

export type NanpZone = 'included' | 'international' | 'premium'

export interface NanpArea {
  readonly country: CountryCode
  readonly zone: NanpZone
}

let table: ReadonlyMap<string, NanpArea> | null = null
const EXCHANGES = '23456789'.split('')

/** Every area code 200-999 with its country and zone (built once, on first use: 800 parses, ~60 ms of CPU). */
function areas(): ReadonlyMap<string, NanpArea> {
  if (table) return table
  const metadata = new Metadata()
  const members = getCountries().flatMap((country) => {
    if (getCountryCallingCode(country) !== '1') return []
    metadata.selectNumberingPlan(country)
    const leading = metadata.numberingPlan?.leadingDigits()
    // The US and Canada have no leading digits: they hold every area code no other member claims.
    return leading ? [{ country, leading: new RegExp(`^(?:${leading})`) }] : []
  })
  const out = new Map<string, NanpArea>()
  for (let npa = 200; npa <= 999; npa++) {
    // A number's exchange starts with 2-9; a member claims the area code if it claims any exchange in it.
    const member = members.find((m) => EXCHANGES.some((x) => m.leading.test(`${npa}${x}`)))
    // One number stands for the area code (US and Canadian types go by area code); nanpArea still asks
    // libphonenumber about each number, so a premium range inside an area code is not missed when rating.
    const sample = parsePhoneNumberFromString(`+1${npa}2345678`)
    const country = member?.country ?? (sample?.country === 'CA' ? 'CA' : 'US')
    const zone: NanpZone =
      sample?.getType() === 'PREMIUM_RATE'
        ? 'premium'
        : INCLUDED_NANP_COUNTRIES.has(country)
          ? 'included'
          : 'international'
    out.set(String(npa), { country, zone })
  }
  table = out
  return out
}

/** The country and zone of a NANP number given as its 11 digits (1NPANXXXXXX), or null when it is not one. */
export function nanpArea(digits: string): NanpArea | null {
  const m = /^1([2-9]\d\d)\d{7}$/.exec(digits)
  if (!m) return null
  const area = areas().get(m[1] as string) as NanpArea
  // A premium-rate number inside an area code that is not wholly premium is still premium.
  if (area.zone !== 'premium' && parsePhoneNumberFromString(`+${digits}`)?.getType() === 'PREMIUM_RATE')
    return { ...area, zone: 'premium' }
  return area
}

/** The area codes of a zone, ascending. */
export function areaCodesIn(zone: NanpZone): string[] {
  return [...areas()].filter(([, a]) => a.zone === zone).map(([npa]) => npa)
}

/**
 * Kamailio's copy of the table, as `-A` arguments: NANP_ABROAD (area codes of other NANP countries, refused when
 * the line's international calling is off) and NANP_PREMIUM (premium rate, refused for every line), each a POSIX
 * regular expression over the dialled user part (10 or 11 digits, or 011 and 11 digits).
 */
export function kamailioNanpDefines(): string[] {
  const re = (zone: NanpZone) => `^(011)?1?(${areaCodesIn(zone).join('|')})[0-9]{7}$`
  return ['-A', `NANP_ABROAD="${re('international')}"`, '-A', `NANP_PREMIUM="${re('premium')}"`]
}
