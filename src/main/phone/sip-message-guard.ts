/**
 * What reaches sip.js from the SIP server, guarded. sip.js rethrows what its handling of a message throws, out of
 * the WebSocket's listener (transport.js), where nothing catches it: one message it cannot handle, or a handler of
 * ours that throws, would end the app (a Replaces naming a dialog that is no call's throws "Session does not
 * exist"). Logged and dropped instead; the sender's transaction times out. So is a message whose headers break a
 * line other than by CRLF (bareLineBreak).
 */
import type { UserAgent } from 'sip.js'

/** Wraps the user agent's message handler: what would throw, or is written to be read two ways, is dropped. */
export function guardMessages(ua: UserAgent, log: (message: string) => void): void {
  const handle = ua.transport.onMessage
  ua.transport.onMessage = (message) => {
    if (bareLineBreak(message)) {
      log('a SIP message with a line break that is not CRLF in its headers was dropped')
      return
    }
    try {
      handle?.(message)
    } catch (err) {
      log(
        `a SIP message could not be handled and was dropped: ${err instanceof Error ? err.message : String(err)}`
      )
    }
  }
}

/**
 * A CR or LF in a message's headers that is not part of a CRLF. sip.js ends a header only at CRLF, Kamailio and the
 * next hop at a bare LF too: such a header is one value to sip.js, which can copy it into a request of its own (a
 * REFER's Referred-By goes into the INVITE the line sends for it), and two headers to everyone after, the second of
 * the sender's choosing in the line's name.
 */
export function bareLineBreak(message: string): boolean {
  const end = message.indexOf('\r\n\r\n')
  return /\r(?!\n)|(?<!\r)\n/.test(end < 0 ? message : message.slice(0, end))
}
