/**
 * What a PSAP reads from an emergency INVITE, taken apart strictly (the tests' simulated PSAP and the dev stack's
 * 911 address test, scripts/lib/address-test-service.ts): headers (folded lines joined), the multipart
 * body split by its boundary, the location part found by the Content-ID the Geolocation header's cid: names
 * (RFC 6442), and the PIDF-LO parsed as XML with namespaces (RFC 4119 / 5139 / 5491), so a test compares civic
 * fields, not substrings.
 */
import { DOMParser, type Element } from '@xmldom/xmldom'

const PIDF = 'urn:ietf:params:xml:ns:pidf'
const CIVIC = 'urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr'
const GEOPRIV = 'urn:ietf:params:xml:ns:pidf:geopriv10'

export interface EmergencyInvite {
  readonly requestUri: string
  readonly header: (name: string) => string | null
  /** The callback number from P-Asserted-Identity ('+12015550101'). */
  readonly callback: string | null
  readonly flaggedNoLocation: boolean
  readonly sdp: string | null
  readonly location: {
    readonly cid: string
    readonly routing: string | null
    readonly entity: string
    readonly method: string
    readonly civic: Record<string, string>
  } | null
}

function splitHead(raw: string): { lines: string[]; body: string } {
  const text = raw.replace(/\r\n/g, '\n')
  const at = text.indexOf('\n\n')
  const head = at < 0 ? text : text.slice(0, at)
  const body = at < 0 ? '' : text.slice(at + 2)
  return {
    lines: head
      .split('\n')
      .reduce<string[]>(
        (acc, l) =>
          /^[ \t]/.test(l) && acc.length ? ((acc[acc.length - 1] += ` ${l.trim()}`), acc) : [...acc, l],
        []
      ),
    body
  }
}

function headerOf(lines: readonly string[], name: string): string | null {
  const hit = lines.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return hit ? hit.slice(name.length + 1).trim() : null
}

function parts(body: string, boundary: string): { lines: string[]; body: string }[] {
  const chunks = body.split(`--${boundary}`)
  return chunks
    .slice(1)
    .filter((c) => !c.startsWith('--'))
    .map((c) => splitHead(c.replace(/^\r?\n/, '').replace(/\r?\n$/, '')))
}

export function parseEmergencyInvite(raw: string): EmergencyInvite {
  const { lines, body } = splitHead(raw)
  const header = (name: string) => headerOf(lines, name)
  const pai = header('P-Asserted-Identity')
  const callback = /^<sip:(\+\d+)@[^>]*;user=phone>$/.exec(pai ?? '')?.[1] ?? null
  const type = header('Content-Type') ?? ''
  const geolocation = header('Geolocation')
  let sdp: string | null = type.startsWith('application/sdp') ? body : null
  let location: EmergencyInvite['location'] = null
  const boundary = /^multipart\/mixed;\s*boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (boundary) {
    const ps = parts(body, boundary)
    sdp = ps.find((p) => headerOf(p.lines, 'Content-Type') === 'application/sdp')?.body ?? null
    const cid = /^<cid:([^>]+)>$/.exec(geolocation ?? '')?.[1]
    const pidf = ps.find((p) => headerOf(p.lines, 'Content-ID') === `<${cid}>`)
    if (cid && pidf && headerOf(pidf.lines, 'Content-Type') === 'application/pidf+xml') {
      const errors: string[] = []
      const doc = new DOMParser({
        onError: (level, msg) => void errors.push(`${level}: ${msg}`)
      }).parseFromString(pidf.body, 'application/xml')
      if (errors.length) throw new Error(`the PIDF-LO is not well-formed XML: ${errors.join('; ')}`)
      const presence = doc.documentElement
      if (!presence || presence.namespaceURI !== PIDF || presence.localName !== 'presence')
        throw new Error('the location part is not a PIDF document')
      const civicEl = presence.getElementsByTagNameNS(CIVIC, 'civicAddress')[0]
      if (!civicEl) throw new Error('the PIDF-LO has no civic address')
      const civic: Record<string, string> = {}
      for (let n = civicEl.firstChild; n; n = n.nextSibling)
        if (n.nodeType === 1 && (n as Element).namespaceURI === CIVIC)
          civic[(n as Element).localName ?? ''] = n.textContent ?? ''
      location = {
        cid,
        routing: header('Geolocation-Routing'),
        entity: presence.getAttribute('entity') ?? '',
        method: presence.getElementsByTagNameNS(GEOPRIV, 'method')[0]?.textContent ?? '',
        civic
      }
    }
  }
  return {
    requestUri: lines[0]?.split(' ')[1] ?? '',
    header,
    callback,
    flaggedNoLocation: header('Dialtone-Location') === 'none',
    sdp,
    location
  }
}
