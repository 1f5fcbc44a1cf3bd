/**
 * A phone number as people read it, for every screen: the national form for a number of the person's own country
 * ("(212) 555-0100" for a NANP number), the international form for any other ("+44 20 7946 0958"). The one
 * formatting function of the app (the newcomer's README run saw "+12125550100" everywhere). libphonenumber's
 * smallest metadata build ('libphonenumber-js/min': formats, no number types) knows every country's groups; it is
 * ~30 KiB gzip, so the renderer loads this module on first use (src/renderer/src/phone-numbers.ts), never with the
 * first page. Callers isolate the result for right-to-left text (isolate(), or i18next's interpolation).
 * A field where a number is typed groups it as it grows, for the same home country (formatAsTyped; the caret rules
 * are typed-number.ts), and starts from a number as every screen shows it (formatInField). One module, one chunk:
 * the as-you-type code (~7 KiB gzip) in a chunk of its own would add preload lists to the first page's scripts.
 */
import {
  AsYouType,
  type CountryCode,
  getCountryCallingCode,
  parsePhoneNumberFromString
} from 'libphonenumber-js/min'

/**
 * The person's own country. Dialtone's lines are NANP numbers (United States and Canada, nanp.ts), which share
 * one national form, so 'US' stands for both.
 */
const HOME_COUNTRY: CountryCode = 'US'

/**
 * What a value is, as an E.164 string: '+' and digits as they are; SIP users carry a NANP number's digits without
 * '+' (12125550100) or as ten digits. Anything else (911, *98, 'anonymous', a name) is not a number to format.
 */
function asE164(value: string): string | null {
  if (/^\+[1-9]\d{6,14}$/.test(value)) return value
  if (/^1[2-9]\d{9}$/.test(value)) return `+${value}`
  if (/^[2-9]\d{9}$/.test(value)) return `+1${value}`
  return null
}

/** The number in the form people read; a value that is not a possible phone number comes back unchanged. */
export function formatPhoneNumber(value: string, home: CountryCode = HOME_COUNTRY): string {
  const e164 = asE164(value.trim())
  if (e164 === null) return value
  const parsed = parsePhoneNumberFromString(e164)
  if (!parsed?.isPossible()) return value
  return parsed.countryCallingCode === getCountryCallingCode(home)
    ? parsed.formatNational()
    : parsed.formatInternational()
}

/**
 * What a person has typed so far ('+', digits, or a star code), grouped as their country writes it: "(212) 555-01",
 * "+44 20 7946 0958", "011 44 20 …". Up to three digits stay bare (911 and 933 are not "(911)"), and anything with
 * '*' or '#' is a code to dial, not a number. The result holds the same significant characters, in order.
 */
export function formatAsTyped(number: string, home: CountryCode = HOME_COUNTRY): string {
  if (/[*#]/.test(number) || /^\d{0,3}$/.test(number)) return number
  return new AsYouType(home).input(number)
}

/** A number a field starts from (not typed): the form every screen shows, else as if typed. */
export function formatInField(number: string, home: CountryCode = HOME_COUNTRY): string {
  const shown = formatPhoneNumber(number, home)
  return shown !== number ? shown : formatAsTyped(number, home)
}
