/**
 * The line's registered 911 address as a PIDF-LO document (RFC 4119 location object, RFC 5139 civic address,
 * RFC 5491 device element, RFC 6442 usage in SIP), built by the service, which owns the address, and stored next
 * to the line's SIP credentials so Kamailio can attach it to an emergency call without asking anyone (911 must
 * work while the service is down). Every field is typed by the subscriber: each one is reduced to characters XML
 * allows and escaped, so an address can never change the document's structure.
 */

export interface CivicAddress {
  readonly street: string
  readonly unit: string
  readonly city: string
  readonly region: string
  readonly postalCode: string
  readonly country: 'US' | 'CA'
}

/** The Content-ID Kamailio gives the location part, and the Geolocation header's cid: (no '<' '>'). */
export const locationCid = (username: string, domain: string): string => `loc-${username}@${domain}`

// XML 1.0 forbids most C0 controls even as references; bidi and other format characters hide text from a reader.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff\p{Cf}\p{Cs}]/gu

/** Text safe inside an XML element or a double-quoted attribute. */
export function xmlText(raw: string): string {
  return raw
    .replace(NOT_XML, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/**
 * "12 Washington St" -> house number 12 (HNO) and road "Washington St" (RD); a number with a letter ("12B") keeps
 * the letter as the suffix (HNS). A street without a leading number is all road.
 */
export function splitStreet(street: string): { hno: string | null; hns: string | null; rd: string } {
  const m = /^\s*(\d{1,8})([A-Za-z]?)(?:\s+|\s*,\s*)(.+)$/.exec(street)
  if (!m) return { hno: null, hns: null, rd: street.trim() }
  return { hno: m[1] ?? null, hns: m[2] ? m[2] : null, rd: (m[3] ?? '').trim() }
}

const el = (name: string, value: string | null): string =>
  value && value.trim() ? `<ca:${name}>${xmlText(value)}</ca:${name}>` : ''

/**
 * The PIDF-LO for a line: entity = the line's number, one device whose location is the civic address, method
 * Manual (the subscriber typed it), timestamp = when the address was registered. Retransmission is allowed: a
 * PSAP passes the location on to the responders.
 */
export function pidfLo(opts: {
  readonly e164: string
  readonly domain: string
  readonly username: string
  readonly address: CivicAddress
  readonly registeredAt: string
}): string {
  const a = opts.address
  const { hno, hns, rd } = splitStreet(a.street)
  const civic = [
    el('country', a.country),
    el('A1', a.region),
    el('A3', a.city),
    el('RD', rd),
    el('HNO', hno),
    el('HNS', hns),
    el('UNIT', a.unit),
    el('PC', a.postalCode)
  ]
    .filter(Boolean)
    .join('')
  const entity = xmlText(`pres:${opts.e164}@${opts.domain}`)
  const id = xmlText(`line-${opts.username}`)
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<presence xmlns="urn:ietf:params:xml:ns:pidf"' +
    ' xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"' +
    ' xmlns:gbp="urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy"' +
    ' xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"' +
    ' xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"' +
    ` entity="${entity}">` +
    `<dm:device id="${id}">` +
    '<gp:geopriv>' +
    `<gp:location-info><ca:civicAddress xml:lang="en">${civic}</ca:civicAddress></gp:location-info>` +
    '<gp:usage-rules><gbp:retransmission-allowed>true</gbp:retransmission-allowed></gp:usage-rules>' +
    '<gp:method>Manual</gp:method>' +
    '</gp:geopriv>' +
    `<dm:deviceID>${xmlText(`tel:${opts.e164}`)}</dm:deviceID>` +
    `<dm:timestamp>${xmlText(opts.registeredAt)}</dm:timestamp>` +
    '</dm:device>' +
    '</presence>'
  )
}
