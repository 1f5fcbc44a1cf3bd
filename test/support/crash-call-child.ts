/**
 * Run by test/integration/phone/history-crash.test.ts as an app that is then killed (SIGKILL) during a call: an app
 * brain on the real conf store in the data folder given, signed in to a line and registered with the stack's
 * Kamailio (its session kept in the data folder's file vault, as the web host keeps it, so the next start is signed in
 * to the same account), which then waits to be rung (`ring`), answers when rung (`answer`), or dials (`dial`). It prints one
 * JSON line at each step ({"registered":"+1..."}, then {"at":"ringing"|"connected"|"ringback"}) and then waits
 * to be killed.
 */
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { createConfStore } from '../../src/main/store/conf-store'
import { fileVault } from '../../src/main/store/file-vault'
import { phaseOf, until } from './phone-app'
import { testApp } from './test-app'

interface Args {
  readonly dir: string
  readonly serviceUrl: string
  readonly email: string
  readonly password: string
  readonly act: 'ring' | 'answer' | 'dial'
  readonly number?: string
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args
const say = (o: object): void => void process.stdout.write(JSON.stringify(o) + '\n')

const t = testApp({
  store: createConfStore(args.dir),
  service: createServiceClient(),
  vault: fileVault(args.dir),
  settingsDefaults: { serviceUrl: args.serviceUrl },
  sipBackoff: { initialMs: 200, maxMs: 1000, jitter: 0.2 }
})
t.app.start()
await call(t.app.dispatch, 'account.signIn', { identifier: args.email, password: args.password })
const status = await until(
  () => call(t.app.dispatch, 'phone.status', undefined),
  (s) => s.state === 'registered'
)
say({ registered: status.number })
if (args.act === 'dial') {
  await call(t.app.dispatch, 'phone.dial', { number: args.number ?? '' })
  await phaseOf(t, 'ringback')
  say({ at: 'ringback' })
} else {
  await phaseOf(t, 'ringing', 15_000)
  say({ at: 'ringing' })
  if (args.act === 'answer') {
    await call(t.app.dispatch, 'phone.answer', undefined)
    await phaseOf(t, 'connected')
    say({ at: 'connected' })
  }
}
// Alive until killed: the test ends this process the hard way, during the call.
setInterval(() => undefined, 60_000)
