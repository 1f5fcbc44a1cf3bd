/**
 * Stops a sip.js user agent within a bound, gracefully if it can. sip.js's own stop waits for each call's BYE to
 * be answered, and for an answered call's ACK (up to 32 s, timer H) before it sends that BYE; after a lost
 * connection neither comes, and a disposal that throws rejects it half done. So the graceful stop gets `stepMs`;
 * after that the calls it has not reached are disposed one by one (their audio released), then its core, which ends
 * the dialogs and transactions and their timers, then the transport.
 */
import { type UserAgent, UserAgentState } from 'sip.js'
import { settleWithin } from '../../shared/settle-within'

/** Stops `ua`; true when it stopped by itself, false when what it still waited on was dropped. */
export async function stopUserAgentWithin(ua: UserAgent, stepMs: number): Promise<boolean> {
  if ((await settleWithin(ua.stop(), stepMs)) && ua.state === UserAgentState.Stopped) return true
  for (const session of Object.values(ua._sessions))
    try {
      void session.dispose().catch(() => undefined)
    } catch {
      // sip.js throws from some disposals (a CANCEL with no transaction): the core's dispose below ends it.
    }
  ua.userAgentCore.dispose()
  await settleWithin(ua.transport.dispose(), stepMs)
  return false
}
