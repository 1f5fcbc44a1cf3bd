/**
 * The called side of the phone benchmark's INVITE -> 200: Dialtone's app brain (createApp, the brain Electron's
 * main and the web host run) in its own process, bundled like main (phone.bench.ts builds it), signed in to the
 * bench's service over HTTP, its line registered, answering every call at its first ring as a lifted handset
 * would and putting the handset down when the far end hangs up. Its own process, as sipp's UAS and baresip have:
 * the caller's work does not share its event loop.
 * Input: DIALTONE_BENCH_APP (JSON: service URL, email, password). Output, one JSON line each on stdout:
 * {"ready":true} once registered, then per answered call its times from the socket (sip-timings.ts) as epoch ms
 * (performance.timeOrigin + now); the bench subtracts them only from each other (phone.bench.ts, legsOf).
 */
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryVault } from '../../src/main/store/secret-vault'
import type { PayloadOf } from '../../src/shared/ipc/contract'
import { testApp } from '../support/test-app'
import { reportAnsweredInvites } from './sip-timings'

const input = JSON.parse(process.env.DIALTONE_BENCH_APP ?? '{}') as {
  serviceUrl: string
  email: string
  password: string
}
reportAnsweredInvites()

const { app } = testApp({
  service: createServiceClient(),
  vault: memoryVault(),
  settingsDefaults: { serviceUrl: input.serviceUrl }
})
app.events.subscribe((name, payload) => {
  if (name === 'phone.statusChanged' && (payload as PayloadOf<'phone.statusChanged'>).state === 'registered')
    process.stdout.write('{"ready":true}\n')
  if (name !== 'phone.callStateChanged') return
  const s = payload as PayloadOf<'phone.callStateChanged'>
  // Answer the moment it rings; when the far end has hung up, put the handset down (the line goes back to idle).
  if (s.phase === 'ringing')
    void call(app.dispatch, 'phone.answer', undefined).catch((err: unknown) =>
      console.error('answer failed', err)
    )
  else if (s.offHook && s.call === null && s.other === null)
    void call(app.dispatch, 'phone.hangup', undefined).catch((err: unknown) =>
      console.error('hangup failed', err)
    )
})
app.start()
await call(app.dispatch, 'account.signIn', { identifier: input.email, password: input.password })
process.on('SIGTERM', () => {
  // Gone within two seconds whatever stopping waits for: the bench closes the SIP server beside this, and a stop
  // waiting on it kept the process alive after the bench ended.
  setTimeout(() => process.exit(0), 2000).unref()
  app
    .dispose()
    .catch((err: unknown) => console.error('dispose failed', err))
    .finally(() => process.exit(0))
})
