/**
 * sip.js answers every incoming INVITE with "100 Trying" before its application sees the call
 * (lib/api/user-agent.js; its own comment: "FIXME: Ported - 100 Trying send should be configurable. Only required
 * if TU will not respond in 200ms"). RFC 3261 §17.2.1 asks for the 100 only when the TU will not answer within
 * 200 ms, and Dialtone's line answers in the same turn of the event loop: 180 Ringing, or a final response (busy,
 * blocked, do not disturb) from CallController.onInvite. So the 100 was one more message to build, frame and
 * send, and for Kamailio (which sends its own 100 to the caller and absorbs ours) one more to read, parse and
 * match, ahead of the 180 and the 200 on the same connection: measured on INVITE -> 200 (docs/benchmarks.md, "SIP
 * line"). This build step moves the 100 after the application's handler and sends it only when the handler left
 * the transaction without any response, so a TU that answers later still gets Kamailio's longer INVITE timer
 * (fr_inv_timer, not fr_timer) as before. Where nothing answers at all (a handler that throws, or sip.js's own throw
 * on a malformed Replaces header) no 100 goes either, so Kamailio ends the call on its shorter fr_timer (408) rather
 * than after a 100 that promised an answer.
 * Applied where main is bundled (electron.vite.config.ts and scripts/main-commonjs.ts, which the phone benchmark
 * uses); if sip.js changes the file so the two places are no longer found exactly once, the build stops.
 */
import type { Plugin } from 'vite'

/** sip.js's UserAgent (ES module build). */
export const SIP_USER_AGENT_FILE = /[\\/]sip\.js[\\/]lib[\\/]api[\\/]user-agent\.js$/

const TRYING = '                incomingInviteRequest.trying();\n'
const DELEGATE = '                    this.delegate.onInvite(invitation);\n                    return;\n'
const AFTER_DELEGATE = [
  '                    this.delegate.onInvite(invitation);',
  '                    // Dialtone build step (scripts/sip-trying-when-silent.ts): 100 Trying only when the handler',
  '                    // has sent nothing (no provisional, no final response).',
  '                    const dialtoneTransaction = incomingInviteRequest.transaction;',
  '                    if (dialtoneTransaction.state === "Proceeding" && !dialtoneTransaction.lastProvisionalResponse)',
  '                        incomingInviteRequest.trying();',
  '                    return;',
  ''
].join('\n')

const once = (source: string, part: string): boolean => {
  const at = source.indexOf(part)
  return at >= 0 && source.indexOf(part, at + part.length) < 0
}

/** sip.js's user-agent.js with the INVITE's 100 Trying sent only when the application did not answer at once. */
export function tryingWhenSilent(source: string): string {
  if (!once(source, TRYING) || !once(source, DELEGATE))
    throw new Error(
      "sip-trying-when-silent: sip.js's user-agent.js no longer sends 100 Trying as expected; check the new version"
    )
  return source.replace(TRYING, '').replace(DELEGATE, AFTER_DELEGATE)
}

/** The build step as a Vite (rolldown) plugin for electron-vite's main build. */
export function sipTryingWhenSilent(): Plugin {
  return {
    name: 'dialtone-sip-trying-when-silent',
    transform(code, id) {
      return SIP_USER_AGENT_FILE.test(id) ? { code: tryingWhenSilent(code), map: null } : null
    }
  }
}
