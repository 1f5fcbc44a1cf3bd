/**
 * Where an INVITE's time goes, seen from the sockets: a WebSocket class (ws, subclassed) that notes, per Call-ID,
 * when an INVITE left or arrived and when its 200 OK left or arrived. With the phone benchmark's caller and the app's
 * line both on this class, one call yields the caller's first INVITE sent, the app's INVITE
 * received, the app's 200 sent and the caller's 200 received (the app in its own process reports its side
 * through onOk; answer-app.ts). Nothing in sip.js or the app changes for it; the
 * cost is two regular expressions per SIP message, paid alike on every call the caller makes.
 */
import WebSocket from 'ws'

export interface InviteTimes {
  /** The caller's first INVITE for the call left its socket (a proxy challenge, if any, comes after). */
  inviteSent?: number
  /** The INVITE arrived at the called side's socket (only when that side is in this process). */
  inviteReceived?: number
  /** The called side's 180 Ringing and 200 OK left its socket. */
  ringingSent?: number
  okSent?: number
  /** The 200 OK arrived at the caller's socket. */
  okReceived?: number
}

const CALL_ID = /^(?:Call-ID|i)\s*:\s*(\S+)/im
const CSEQ_INVITE = /^CSeq\s*:\s*\d+\s+INVITE\b/im

/** onOk: called when this process sends a 200 OK to an INVITE, with that call's times so far. */
export function watchInvites(onOk?: (callId: string, times: InviteTimes) => void): {
  /** The class to install as globalThis.WebSocket, where sip.js looks for one. */
  Socket: new (...args: ConstructorParameters<typeof WebSocket>) => WebSocket
  times: Map<string, InviteTimes>
} {
  const times = new Map<string, InviteTimes>()
  const note = (text: string, incoming: boolean): void => {
    const now = performance.now()
    const id = CALL_ID.exec(text)?.[1]
    if (!id || !CSEQ_INVITE.test(text)) return
    const t = times.get(id) ?? {}
    times.set(id, t)
    if (text.startsWith('INVITE ')) {
      if (incoming) t.inviteReceived ??= now
      else t.inviteSent ??= now
    } else if (text.startsWith('SIP/2.0 180')) {
      if (!incoming) t.ringingSent ??= now
    } else if (text.startsWith('SIP/2.0 200')) {
      if (incoming) t.okReceived ??= now
      else if (t.okSent === undefined) {
        t.okSent = now
        onOk?.(id, t)
      }
    }
  }
  class WatchedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      this.on('message', (data: Buffer) => note(data.toString(), true))
      const send = this.send
      this.send = function (this: WebSocket, ...a: unknown[]): void {
        if (typeof a[0] === 'string') note(a[0], false)
        Reflect.apply(send, this, a)
      } as typeof send
    }
  }
  return { Socket: WatchedWebSocket, times }
}

/**
 * For a called side in its own process (answer-app.ts, answer-sipjs.ts): installs the watching WebSocket where
 * sip.js looks for one and writes each answered call's socket times to stdout as one JSON line, in epoch ms (the
 * bench subtracts them only from each other: two processes' clocks may disagree).
 */
export function reportAnsweredInvites(): void {
  const epoch = (ms: number | undefined) => (ms === undefined ? null : performance.timeOrigin + ms)
  const invites = watchInvites((callId, t) =>
    process.stdout.write(
      `${JSON.stringify({
        callId,
        inviteReceived: epoch(t.inviteReceived),
        ringingSent: epoch(t.ringingSent),
        okSent: epoch(t.okSent)
      })}\n`
    )
  )
  ;(globalThis as { WebSocket?: unknown }).WebSocket = invites.Socket
}
