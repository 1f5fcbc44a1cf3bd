/**
 * The app's account commands against the real service (SQLite): the brain from createApp with the real
 * service client and a file vault, driven through the dispatcher exactly as the renderer drives it.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../../src/main/account/service-client'
import { call } from '../../../src/main/ipc/dispatcher'
import { fileVault } from '../../../src/main/store/file-vault'
import { memoryStore } from '../../../src/main/store/key-value-store'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import type { SessionState } from '../../../src/shared/ipc/account'
import { startTestService, type TestService } from '../../support/service'
import { ACCEPT, BILLING, latestSecret, MODEL, newSerial, US_ADDRESS } from '../../support/service-flows'
import { testApp, type TestApp } from '../../support/test-app'
import { plugTestDongle } from '../../support/test-dongle'

let svc: TestService

beforeAll(async () => {
  svc = await startTestService('sqlite')
})

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'dialtone-app-account-'))
afterAll(() => svc.close())

/** A brain on a data folder and settings store; the same two again is what a restart of the app looks like. */
function brain(
  dataDir = freshDir(),
  store = memoryStore(),
  serviceUrl = svc.base
): TestApp & { sessions: SessionState[]; dataDir: string } {
  const t = testApp({
    service: createServiceClient(),
    vault: fileVault(dataDir),
    store,
    settingsDefaults: { serviceUrl }
  })
  const sessions: SessionState[] = []
  t.app.events.subscribe((name, payload) => {
    if (name === 'account.sessionChanged') sessions.push(payload as SessionState)
  })
  return Object.assign(t, { sessions, dataDir })
}

async function failure(p: Promise<unknown>): Promise<DialtoneError> {
  try {
    await p
  } catch (err) {
    if (err instanceof DialtoneError) return err
    throw err
  }
  throw new Error('expected the command to fail')
}

/** Starts a trial through the app with a dongle the factory made, plugged in: the app has it attest. */
async function startTrialThroughApp(t: TestApp) {
  const serial = newSerial()
  await plugTestDongle(t, await svc.dongles.make(serial))
  const email = `${serial.toLowerCase()}@example.test`
  const password = 'correct horse battery'
  const started = await call(t.app.dispatch, 'account.startTrial', {
    serial,
    model: MODEL,
    name: 'Grace Hopper',
    billingAddress: BILLING,
    email,
    password,
    areaCode: '212',
    acceptances: ACCEPT
  })
  return { started, email, password }
}

/** Start Trial and activate through the app's commands; answers with the line id and the email used. */
async function activateTrialThroughApp(
  t: TestApp
): Promise<{ lineId: string; email: string; password: string }> {
  const { started, email, password } = await startTrialThroughApp(t)
  const code = await latestSecret(svc, email, 'trial-code')
  const outcome = await call(t.app.dispatch, 'account.activateTrial', { trialId: started.trialId, code })
  expect(outcome.signedIn).toBe(true)
  expect(outcome).not.toHaveProperty('session')
  return { lineId: outcome.lineId, email, password }
}

describe('the app signed in to the account service', () => {
  it('starts signed out, activates a trial, and keeps the session in the vault, never in an answer', async () => {
    const t = brain()
    const before = await call(t.app.dispatch, 'account.session', undefined)
    expect(before).toMatchObject({ signedIn: false, accountId: null, protection: 'owner-only-file' })

    const { lineId } = await activateTrialThroughApp(t)
    const state = await call(t.app.dispatch, 'account.session', undefined)
    expect(state.signedIn).toBe(true)
    expect(t.sessions.at(-1)).toEqual(state)

    const vaultFile = join(t.dataDir, 'secrets.json')
    expect(statSync(vaultFile).mode & 0o777).toBe(0o600)
    expect(readFileSync(vaultFile, 'utf8')).toMatch(/dts_/)

    const lines = await call(t.app.dispatch, 'account.lines', undefined)
    expect(lines.lines.map((l) => l.id)).toEqual([lineId])
    expect(lines.lines[0]?.missing).toEqual(['e911'])

    const line = await call(t.app.dispatch, 'account.setE911', {
      lineId,
      address: { ...US_ADDRESS, country: 'US' as const }
    })
    expect(line.status).toBe('in_service')

    // The phone in main gets the SIP credentials; the renderer's contract has no command for them.
    const sip = await t.app.account.sipCredentials(lineId)
    expect(sip.username).toBe(line.number?.replace('+', ''))
    expect(sip.password.length).toBeGreaterThanOrEqual(20)

    const sessions = await call(t.app.dispatch, 'account.sessions', undefined)
    expect(sessions.sessions.filter((s) => s.current)).toHaveLength(1)
    // The session the activation opened is named after the app, as a sign-in's is.
    expect(sessions.sessions.find((s) => s.current)?.client).toBe('Dialtone 0.0.0-test (linux)')
  })

  it('stays signed in across a restart (same vault and settings)', async () => {
    const store = memoryStore()
    const first = brain(freshDir(), store)
    // This computer in Santiago (Node reads TZ again when it changes): main sends that zone with the trial.
    const tz = process.env.TZ
    process.env.TZ = 'America/Santiago'
    const { email, password } = await activateTrialThroughApp(first).finally(() => {
      if (tz === undefined) delete process.env.TZ
      else process.env.TZ = tz
    })
    await call(first.app.dispatch, 'account.signOut', undefined)
    const signedIn = await call(first.app.dispatch, 'account.signIn', { identifier: email, password })
    expect(signedIn.signedIn).toBe(true)

    const second = brain(first.dataDir, store)
    expect(await call(second.app.dispatch, 'account.session', undefined)).toMatchObject({
      signedIn: true,
      accountId: signedIn.accountId
    })
    const profile = await call(second.app.dispatch, 'account.profile', undefined)
    expect(profile.emails[0]?.address).toBe(email)
    // The trial went through main, which gave the computer's zone: the account counts its dates there.
    expect(profile.timeZone).toBe('America/Santiago')
  })

  it('names its session after the app in the account’s session list', async () => {
    const t = brain()
    const { email, password } = await activateTrialThroughApp(t)
    await call(t.app.dispatch, 'account.signOut', undefined)
    await call(t.app.dispatch, 'account.signIn', { identifier: email, password })
    const { sessions } = await call(t.app.dispatch, 'account.sessions', undefined)
    expect(sessions.find((s) => s.current)?.client).toBe('Dialtone 0.0.0-test (linux)')
  })

  it('keeps the device token a sign-in gave it, so guesses from elsewhere do not lock it out', async () => {
    const t = brain()
    const { email, password } = await activateTrialThroughApp(t)
    await call(t.app.dispatch, 'account.signOut', undefined)
    await call(t.app.dispatch, 'account.signIn', { identifier: email, password })
    await call(t.app.dispatch, 'account.signOut', undefined)
    // Someone else guesses this email from this same address until it is slowed down ...
    let status = 0
    for (let i = 0; i < 8 && status !== 429; i++)
      status = (await svc.api('POST', '/v1/auth/sign-in', { identifier: email, password: `guess ${i}` }))
        .status
    expect(status).toBe(429)
    // ... and the app, which signed in before, still signs in (by another spelling of the email, too).
    const again = await call(t.app.dispatch, 'account.signIn', {
      identifier: ` ${email.toUpperCase()} `,
      password
    })
    expect(again.signedIn).toBe(true)
  })

  it('activates a bought dongle on a new account whose email signs in only once confirmed with its code', async () => {
    const t = brain()
    const serial = newSerial()
    await plugTestDongle(t, await svc.dongles.make(serial))
    const email = `bought-${serial.toLowerCase()}@example.test`
    const password = 'enigma machine 1912'
    const outcome = await call(t.app.dispatch, 'account.activatePurchased', {
      serial,
      model: MODEL,
      areaCode: '617',
      acceptances: ACCEPT,
      purchase: { channel: 'retail' },
      account: { mode: 'new', name: 'Alan Turing', email, password, billingAddress: BILLING }
    })
    expect(outcome.signedIn).toBe(true)
    const [original] = (await call(t.app.dispatch, 'account.profile', undefined)).emails
    expect(original).toMatchObject({ address: email, role: 'original', verified: false })
    // Another app cannot sign in with the unconfirmed email yet (the same refusal as a wrong password).
    const other = brain()
    const early = await failure(call(other.app.dispatch, 'account.signIn', { identifier: email, password }))
    expect([early.code, early.reason]).toEqual(['UNAUTHENTICATED', 'wrong-credentials'])
    // The code emailed at activation, entered through the app, confirms it; then it signs in.
    const code = await latestSecret(svc, email, 'email-verify')
    const confirmed = await call(t.app.dispatch, 'account.verifyEmail', { emailId: original?.id ?? '', code })
    expect(confirmed.emails[0]).toMatchObject({ address: email, verified: true, preferred: true })
    expect((await call(other.app.dispatch, 'account.signIn', { identifier: email, password })).signedIn).toBe(
      true
    )
  })

  it('refuses a wrong password with a clear error and stays signed out', async () => {
    const t = brain()
    const { email } = await activateTrialThroughApp(t)
    await call(t.app.dispatch, 'account.signOut', undefined)
    const err = await failure(
      call(t.app.dispatch, 'account.signIn', { identifier: email, password: 'not the password' })
    )
    expect(err.code).toBe('UNAUTHENTICATED')
    expect(err.message).toMatch(/password/i)
    expect((await call(t.app.dispatch, 'account.session', undefined)).signedIn).toBe(false)
  })

  it('refuses bad input before anything is sent, naming the field', async () => {
    const t = brain()
    const err = await failure(
      call(t.app.dispatch, 'account.setE911', {
        lineId: 'ln_aaaaaaaaaaaaaaaaaaaa',
        address: { ...US_ADDRESS, country: 'US' as const, postalCode: '' }
      })
    )
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.issues.map((i) => i.path)).toContain('address.postalCode')
  })

  it('forgets a session the service has ended, and says so', async () => {
    const t = brain()
    await activateTrialThroughApp(t)
    // End the app's own session from the service's side (as "sign out everywhere" elsewhere would).
    const tokenHolder = JSON.parse(readFileSync(join(t.dataDir, 'secrets.json'), 'utf8'))['account.session']
    const { token } = JSON.parse(tokenHolder) as { token: string }
    const out = await svc.api('POST', '/v1/auth/sign-out', undefined, token)
    expect(out.status).toBe(200)

    const err = await failure(call(t.app.dispatch, 'account.profile', undefined))
    expect(err.code).toBe('UNAUTHENTICATED')
    expect(t.sessions.at(-1)).toMatchObject({ signedIn: false })
    expect((await call(t.app.dispatch, 'account.session', undefined)).signedIn).toBe(false)
  })

  it('does not send a session to another service URL', async () => {
    const t = brain()
    await activateTrialThroughApp(t)
    await call(t.app.dispatch, 'app.settings.set', { serviceUrl: svc.base.replace('127.0.0.1', 'localhost') })
    const state = await call(t.app.dispatch, 'account.session', undefined)
    expect(state.signedIn).toBe(false)
  })

  it('reports an unreachable service as UNAVAILABLE with the address', async () => {
    const t = brain(freshDir(), memoryStore(), 'http://127.0.0.1:9')
    const err = await failure(call(t.app.dispatch, 'account.legal', undefined))
    expect(err.code).toBe('UNAVAILABLE')
    expect(err.message).toContain('http://127.0.0.1:9')
  })

  it('passes the service’s reason through (an expired or wrong code)', async () => {
    const t = brain()
    const { started, email } = await startTrialThroughApp(t)
    const code = await latestSecret(svc, email, 'trial-code')
    const wrong = code === '000000' ? '111111' : '000000'
    const err = await failure(
      call(t.app.dispatch, 'account.activateTrial', { trialId: started.trialId, code: wrong })
    )
    expect(err.reason).toBe('code-wrong')
    expect(err.message).toMatch(/code/)
    expect((await call(t.app.dispatch, 'account.session', undefined)).signedIn).toBe(false)
  })
})

describe('the app renewing a line through the billing commands', () => {
  it('lists plans, quotes, pays once per key, and reports a declined card as PAYMENT_FAILED', async () => {
    const t = brain()
    const { lineId } = await activateTrialThroughApp(t)
    const { plans } = await call(t.app.dispatch, 'billing.plans', undefined)
    expect(plans.map((p) => p.id)).toContain('line-1y@1')
    const items = [{ kind: 'renewal' as const, lineId, planId: 'line-1y@1' }]
    const quote = await call(t.app.dispatch, 'billing.quote', { items })
    expect(quote.total).toEqual({ amountMinor: 3500, currency: 'USD' })
    const card = { number: '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123' }
    const idempotencyKey = randomUUID()
    const paid = await call(t.app.dispatch, 'billing.checkout', {
      idempotencyKey,
      items,
      payment: { card, save: true }
    })
    const again = await call(t.app.dispatch, 'billing.checkout', {
      idempotencyKey,
      items,
      payment: { card, save: true }
    })
    expect(again).toEqual(paid)
    const sub = await call(t.app.dispatch, 'billing.subscription', { lineId })
    expect(sub.coverage.paidThrough).toBe(paid.items[0]?.paidThrough)
    const declined = await failure(
      call(t.app.dispatch, 'billing.checkout', {
        idempotencyKey: randomUUID(),
        items,
        payment: { card: { ...card, number: '4000000000000002' } }
      })
    )
    expect(declined.code).toBe('PAYMENT_FAILED')
    expect(declined.reason).toBe('card_declined')
    const voucher = await failure(
      call(t.app.dispatch, 'billing.redeemVoucher', {
        idempotencyKey: randomUUID(),
        code: '1234123412341234',
        lineId
      })
    )
    expect(voucher).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'voucher-invalid' })
    const badKey = await failure(
      call(t.app.dispatch, 'billing.checkout', { idempotencyKey: 'short', items, payment: { card } })
    )
    expect(badKey.code).toBe('INVALID_ARGUMENT')
    expect(badKey.issues.map((i) => i.path)).toContain('idempotencyKey')
  })
})
