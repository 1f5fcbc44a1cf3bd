/**
 * RFC 3264 media direction for offers and answers, with hold (RFC 3264 §8.4): the rules sip.js's own web
 * handler applies to its transceivers, kept pure so the renderer's MediaEngine and the signalling-only handler
 * in main agree, and so the table can be tested without a browser.
 */
export const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const
export type Direction = (typeof DIRECTIONS)[number]

/** The direction the first audio section of a description states (sendrecv when it says nothing). */
export function directionOf(sdp: string): Direction {
  const m = /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(sdp)
  return (m?.[1] as Direction | undefined) ?? 'sendrecv'
}

/**
 * What to offer next from the transceiver's current direction. Holding means the far end stops sending to us,
 * so a two-way call offers sendonly (we may still play music on hold) and a receive-only one goes inactive.
 */
export function offerDirection(current: Direction, hold: boolean): Direction {
  switch (current) {
    case 'inactive':
    case 'recvonly':
      return hold ? 'inactive' : 'recvonly'
    case 'sendonly':
    case 'sendrecv':
      return hold ? 'sendonly' : 'sendrecv'
  }
}

/** The answer to an offered direction: the mirror image, narrowed further when we hold. */
export function answerDirection(offered: Direction, hold: boolean): Direction {
  switch (offered) {
    case 'inactive':
      return 'inactive'
    case 'recvonly':
      return 'sendonly'
    case 'sendonly':
      return hold ? 'inactive' : 'recvonly'
    case 'sendrecv':
      return hold ? 'sendonly' : 'sendrecv'
  }
}
