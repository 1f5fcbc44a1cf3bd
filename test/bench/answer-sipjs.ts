/**
 * The phone benchmark's same-transport peer for INVITE -> 200: a bare sip.js user agent in its own process, over
 * the same WebSocket to the same Kamailio as the app's line, answering every INVITE at once (180, then 200 with
 * the same signalling-only description the app answers with, src/main/phone/static-sdh.ts) and nothing else.
 * sipp's UAS answers over UDP, which Kamailio relays without WebSocket framing and sipp parses in C++; this peer
 * pays what any sip.js line over WebSocket pays, so the app's row minus this one is the app's own cost, and this
 * row minus sipp's is the transport and the library. Bundled like main (phone.bench.ts builds it), like the app.
 * Input: DIALTONE_BENCH_CREDS (JSON SIP credentials). Output on stdout: {"ready":true} once registered, then per
 * answered call its socket times (sip-timings.ts) as epoch ms, as answer-app.ts reports them.
 */
import { type Invitation, Registerer, RegistererState, UserAgent } from 'sip.js'
import type { SipCredentials } from '../../src/shared/api/devices'
import { benchUserAgentOptions } from './bench-ua'
import { reportAnsweredInvites } from './sip-timings'

const creds = JSON.parse(process.env.DIALTONE_BENCH_CREDS ?? '{}') as SipCredentials
reportAnsweredInvites()

const ua = new UserAgent({
  ...benchUserAgentOptions(creds),
  delegate: {
    // As the app does: 180 sent without waiting on it, then the answer.
    onInvite: (invitation: Invitation) => {
      invitation.progress().catch((err: unknown) => console.error('180 failed', err))
      invitation.accept().catch((err: unknown) => console.error('answer failed', err))
    }
  }
})
await ua.start()
const registerer = new Registerer(ua)
registerer.stateChange.addListener((s) => {
  if (s === RegistererState.Registered) process.stdout.write('{"ready":true}\n')
})
await registerer.register()
process.on('SIGTERM', () => {
  // Gone within two seconds whatever stopping waits for: the bench closes the SIP server beside this, and a stop
  // waiting on it kept the process alive after the bench ended.
  setTimeout(() => process.exit(0), 2000).unref()
  ua.stop()
    .catch((err: unknown) => console.error('stop failed', err))
    .finally(() => process.exit(0))
})
