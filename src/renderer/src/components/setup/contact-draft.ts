/**
 * What the activation form holds (who the new account is for, the area code, the terms and the 911 consent), and
 * its empty start. Its own module: the setup wizard keeps the draft per dongle from its first page, while the form
 * itself (ContactFields.tsx, with the address fields and sign-in) is a chunk fetched when the activate step shows.
 */
export interface ContactDraft {
  name: string
  email: string
  password: string
  street: string
  city: string
  region: string
  postalCode: string
  country: string
  areaCode: string
  terms: boolean
  e911: boolean
}

export const EMPTY_CONTACT: ContactDraft = {
  name: '',
  email: '',
  password: '',
  street: '',
  city: '',
  region: '',
  postalCode: '',
  country: 'US',
  areaCode: '',
  terms: false,
  e911: false
}
