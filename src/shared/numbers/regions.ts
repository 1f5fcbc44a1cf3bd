/**
 * The states, districts and territories a US 911 address may name, and Canada's provinces and territories, by their
 * postal codes (USPS Publication 28 appendix B; Canada Post's addressing guidelines). One list serves the service's
 * check of an E911 address and the app's picker, so the two can never disagree. The names are proper nouns written
 * as on an envelope, the same in every language the app speaks.
 */

export const REGIONS = {
  US: {
    AL: 'Alabama',
    AK: 'Alaska',
    AZ: 'Arizona',
    AR: 'Arkansas',
    CA: 'California',
    CO: 'Colorado',
    CT: 'Connecticut',
    DE: 'Delaware',
    DC: 'District of Columbia',
    FL: 'Florida',
    GA: 'Georgia',
    HI: 'Hawaii',
    ID: 'Idaho',
    IL: 'Illinois',
    IN: 'Indiana',
    IA: 'Iowa',
    KS: 'Kansas',
    KY: 'Kentucky',
    LA: 'Louisiana',
    ME: 'Maine',
    MD: 'Maryland',
    MA: 'Massachusetts',
    MI: 'Michigan',
    MN: 'Minnesota',
    MS: 'Mississippi',
    MO: 'Missouri',
    MT: 'Montana',
    NE: 'Nebraska',
    NV: 'Nevada',
    NH: 'New Hampshire',
    NJ: 'New Jersey',
    NM: 'New Mexico',
    NY: 'New York',
    NC: 'North Carolina',
    ND: 'North Dakota',
    OH: 'Ohio',
    OK: 'Oklahoma',
    OR: 'Oregon',
    PA: 'Pennsylvania',
    RI: 'Rhode Island',
    SC: 'South Carolina',
    SD: 'South Dakota',
    TN: 'Tennessee',
    TX: 'Texas',
    UT: 'Utah',
    VT: 'Vermont',
    VA: 'Virginia',
    WA: 'Washington',
    WV: 'West Virginia',
    WI: 'Wisconsin',
    WY: 'Wyoming',
    PR: 'Puerto Rico'
  },
  CA: {
    AB: 'Alberta',
    BC: 'British Columbia',
    MB: 'Manitoba',
    NB: 'New Brunswick',
    NL: 'Newfoundland and Labrador',
    NS: 'Nova Scotia',
    NT: 'Northwest Territories',
    NU: 'Nunavut',
    ON: 'Ontario',
    PE: 'Prince Edward Island',
    QC: 'Quebec',
    SK: 'Saskatchewan',
    YT: 'Yukon'
  }
} as const satisfies Record<'US' | 'CA', Record<string, string>>

export type RegionCountry = keyof typeof REGIONS

/** The region codes of a country, in the list's order. */
export const regionCodes = (country: RegionCountry): readonly string[] => Object.keys(REGIONS[country])

/**
 * The code a person meant by `text` in `country`: the code itself in any case ("ny") or the region's name in any
 * case and spacing ("new  york"); null when it names none. Never a guess from a prefix: "New" is no state.
 */
export function regionCode(country: RegionCountry, text: string): string | null {
  const wanted = text.trim().replace(/\s+/g, ' ').toLowerCase()
  for (const [code, name] of Object.entries(REGIONS[country]))
    if (code.toLowerCase() === wanted || name.toLowerCase() === wanted) return code
  return null
}
