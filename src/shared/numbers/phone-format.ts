/**
 * A phone number as people read it, for every screen: the national form for a number of the person's own country
 * ("(212) 555-0100" for a NANP number), the international form for any other ("+44 20 7946 0958"). The one
 * formatting function of the app (the newcomer's README run saw "+12125550100" everywhere). libphonenumber's
 * smallest metadata build ('libphonenumber-js/min': formats, no number types) knows every country's groups; it is
 * ~30 KiB gzip, so the renderer loads this module on first use (src/renderer/src/phone-numbers.ts), never with the
 * first page. Callers isolate the result for right-to-left text (isolate(), or i18next's interpolation).
 */
import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/min'

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
