/**
 * A postal address on one line, as the app shows it (a line's 911 address, its history, the contact's address) and
 * the service's messages quote it: the parts in the form's order, empty ones left out. Apart from ./e911.ts so the
 * renderer's pages that only show an address do not bundle the address's schema.
 */
export interface AddressParts {
  readonly street: string
  readonly unit?: string | null
  readonly city: string
  readonly region: string
  readonly postalCode: string
  readonly country: string
}

export const addressText = (a: AddressParts): string =>
  [a.street, a.unit, a.city, a.region, a.postalCode, a.country].filter(Boolean).join(', ')
