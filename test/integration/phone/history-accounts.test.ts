/**
 * One computer, two people (real Kamailio, the real service, an app brain on the real conf store): a call rings
 * Ada's line and is in her history; once she signs out the history lists none of it, nor does it for Bob when he
 * signs in on the same app, and his "Clear history" aimed at her list is refused; when Ada signs in again her call
 * is there, she clears it, and it stays cleared after the next sign-in. The caller's own history is not touched.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../../src/main/account/service-client'
import { call } from '../../../src/main/ipc/dispatcher'
import { createConfStore } from '../../../src/main/store/conf-store'
import { memoryVault } from '../../../src/main/store/secret-vault'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import { type PhoneApp, phaseOf, phoneApp, until } from '../../support/phone-app'
import { type TrialLine, trialLine } from '../../support/service-flows'
import { type SipStack, startSipStack } from '../../support/sip-stack'
import { type TestApp, testApp } from '../../support/test-app'

let stack: SipStack
let caller: PhoneApp
let shared: TestApp
let dir: string

beforeAll(async () => {
  stack = await startSipStack()
  caller = await phoneApp(stack)
  dir = mkdtempSync(join(tmpdir(), 'dialtone-shared-'))
  shared = testApp({
    store: createConfStore(dir),
    service: createServiceClient(),
    vault: memoryVault(),
    settingsDefaults: { serviceUrl: stack.svc.base },
    sipBackoff: { initialMs: 200, maxMs: 1000, jitter: 0.2 }
  })
  shared.app.start()
}, 60_000)
afterAll(async () => {
  await shared?.app.dispose()
  await caller?.t.app.dispose()
  await stack?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const history = async (t: TestApp) => (await call(t.app.dispatch, 'phone.history', undefined)).calls

/** Signs the shared app in to `line` and waits for its phone to register; returns the account id and number. */
async function signIn(line: TrialLine): Promise<{ accountId: string; number: string }> {
  const session = await call(shared.app.dispatch, 'account.signIn', {
    identifier: line.email,
    password: line.password
  })
  const status = await until(
    () => call(shared.app.dispatch, 'phone.status', undefined),
    (s) => s.state === 'registered'
  )
  return { accountId: session.accountId ?? '', number: status.number ?? '' }
}

async function signOut(): Promise<void> {
  await call(shared.app.dispatch, 'account.signOut', undefined)
  await until(
    () => call(shared.app.dispatch, 'phone.status', undefined),
    (s) => s.state === 'unconfigured'
  )
}

describe('the call history of a computer two people use', () => {
  it('is the signed-in account’s alone, and Clear history clears the list shown', async () => {
    const adaLine = await trialLine(stack.svc)
    const bobLine = await trialLine(stack.svc)
    const ada = await signIn(adaLine)
    await call(caller.t.app.dispatch, 'phone.dial', { number: ada.number })
    await phaseOf(shared, 'ringing')
    await call(caller.t.app.dispatch, 'phone.hangup', undefined)
    await phaseOf(shared, 'idle')
    const adas = await until(
      () => history(shared),
      (h) => h.length === 1
    )
    expect(adas).toEqual([expect.objectContaining({ remote: caller.number, outcome: 'missed' })])

    await signOut()
    expect(await history(shared)).toEqual([])

    const bob = await signIn(bobLine)
    expect(bob.accountId).not.toBe(ada.accountId)
    expect(await history(shared)).toEqual([])
    // A screen still showing Ada's list cannot clear anything now that Bob is signed in.
    const refused = await call(shared.app.dispatch, 'phone.clearHistory', { accountId: ada.accountId }).catch(
      (err: unknown) => err
    )
    expect(refused).toBeInstanceOf(DialtoneError)
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'history-owner-changed' })
    await signOut()

    await signIn(adaLine)
    expect(await history(shared)).toEqual(adas)
    const cleared = await call(shared.app.dispatch, 'phone.clearHistory', { accountId: ada.accountId })
    expect(cleared.calls).toEqual([])
    await signOut()
    await signIn(adaLine)
    expect(await history(shared)).toEqual([])

    // The caller's computer keeps its own record of the call.
    expect(await history(caller.t)).toEqual(
      expect.arrayContaining([expect.objectContaining({ remote: ada.number, direction: 'out' })])
    )
  }, 90_000)
})
