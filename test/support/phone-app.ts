/** App brains with a registered phone line, for the call suites: sign in to a fresh trial line, wait for REGISTER. */
import { createServiceClient } from '../../src/main/account/service-client'
import type { AppPorts } from '../../src/main/app'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryVault } from '../../src/main/store/secret-vault'
import type { CallState, LineStatus } from '../../src/shared/ipc/phone'
import type { SipStack } from './sip-stack'
import { type TrialLine, trialLine } from './service-flows'
import { type TestApp, testApp } from './test-app'

/** Polls read() until ok() holds, failing with the last value after ms. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  let v = await read()
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 25))
    v = await read()
  }
  return v
}

export interface PhoneApp {
  readonly t: TestApp
  readonly line: TrialLine
  /** The line's number, E.164. */
  readonly number: string
}

/** A started app brain pointed at the stack's service, signed out (short SIP back-off for tests; more ports). */
export function stackApp(stack: SipStack, virtualDongle = false, ports: Partial<AppPorts> = {}): TestApp {
  const t = testApp({
    service: createServiceClient(),
    vault: memoryVault(),
    settingsDefaults: { serviceUrl: stack.svc.base },
    sipBackoff: { initialMs: 200, maxMs: 1000, jitter: 0.2 },
    forceVirtualDongle: virtualDongle,
    ...ports
  })
  t.app.start()
  return t
}

/** An app brain signed in to a fresh trial line, its phone registered with the stack's Kamailio. */
export async function phoneApp(
  stack: SipStack,
  virtualDongle = false,
  ports: Partial<AppPorts> = {}
): Promise<PhoneApp> {
  const t = stackApp(stack, virtualDongle, ports)
  const line = await trialLine(stack.svc)
  await call(t.app.dispatch, 'account.signIn', { identifier: line.email, password: line.password })
  const status = await registeredOf(t)
  return { t, line, number: status.number ?? '' }
}

/** Waits for the app's phone line to be registered; its status then. */
export const registeredOf = (t: TestApp, ms?: number): Promise<LineStatus> =>
  until(
    () => call(t.app.dispatch, 'phone.status', undefined),
    (s) => s.state === 'registered',
    ms
  )

export const callState = (t: TestApp): Promise<CallState> =>
  call(t.app.dispatch, 'phone.callState', undefined)

/** Waits for the analog line to reach a phase. */
export const phaseOf = (t: TestApp, p: CallState['phase'], ms?: number): Promise<CallState> =>
  until(
    () => callState(t),
    (s) => s.phase === p,
    ms
  )

/** Fails unless this process runs in the namespace scripts/netns.mjs makes (loopback + a dead-end veth). */
export function assertIsolatedNetwork(names: string[]): void {
  if (process.env.DIALTONE_NETNS !== 'loopback' || names.some((n) => !['lo', 'dt0', 'dt1'].includes(n)))
    throw new Error(
      `this suite must run in an isolated network namespace (npm run test:media); interfaces here: ${names.join(', ')}`
    )
}
