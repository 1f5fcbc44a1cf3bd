/**
 * Which LineProblem code a failure of the SIP line gets, decided from what main can see: the kind of failure, the
 * SIP status code, and whether this computer has a network at all. Pure (the network check is passed in), so the
 * mapping is a unit test; sip-line.ts and phone-service.ts report the code with their English detail.
 */
import { networkInterfaces } from 'node:os'
import type { LineProblem } from '../../shared/ipc/phone'
import { addressesOf } from './network-watch'

export type LineFailure =
  /** The WebSocket to the SIP server could not be opened, or dropped. */
  | { readonly kind: 'unreachable'; readonly serverUrl: string }
  /** The SIP server answered the REGISTER with a final error. */
  | { readonly kind: 'rejected'; readonly status: number }
  /** The line's credentials could not be read from the account service. */
  | { readonly kind: 'credentials' }
  /** The provisioned SIP address or server address is not usable. */
  | { readonly kind: 'misprovisioned' }

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i

/** The host of a ws:// or wss:// URL, or null when it does not parse. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname
  } catch {
    return null
  }
}

/** True when a server on this host can be reached without any network (it is this computer). */
export const isLocalServer = (url: string): boolean => LOOPBACK.test(hostOf(url) ?? '')

export function lineProblem(f: LineFailure, online: boolean): LineProblem {
  switch (f.kind) {
    case 'unreachable':
      // A server on this computer needs no network; anywhere else, no network is the first thing to fix.
      return !online && !isLocalServer(f.serverUrl) ? 'noNetwork' : 'serverUnreachable'
    case 'credentials':
      return online ? 'serviceUnreachable' : 'noNetwork'
    case 'rejected':
      if (f.status === 401 || f.status === 403 || f.status === 407) return 'credentialsRefused'
      if (f.status === 402) return 'serviceLapsed'
      if (f.status === 408 || f.status === 480 || f.status === 503 || f.status === 504)
        return 'serverUnreachable'
      return 'serverError'
    case 'misprovisioned':
      return 'misprovisioned'
  }
}

/** Whether this computer has an address on a network: loopback and link-local ones do not count (addressesOf). */
export function hasNetwork(interfaces = networkInterfaces()): boolean {
  return addressesOf(interfaces) !== ''
}
