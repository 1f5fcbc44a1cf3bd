/**
 * The run's one trial line, for the specs that need an account with a line (Phone page, usage chart, the trial
 * wizard). The service of an e2e run trusts one dongle, the virtual one (serial VIRTUAL), and a dongle has one
 * trial: the first spec to need it starts it (onboarding-resume.spec.ts walks it in the wizard, others through
 * main), always for TRIAL_ACCOUNT, and the later ones sign in to that account. Tries are counted by the service
 * (3 trial starts an hour per dongle), so the trial is started only when the service says it is available.
 */
import { expect } from '@playwright/test'
import type { Envelope } from '../../src/shared/ipc/errors'
import { callMain } from './bridge'
import { E2E } from './env'

export const TRIAL_ACCOUNT = {
  serial: 'VIRTUAL',
  model: '06e6:c200',
  name: 'Ada Lovelace',
  email: 'e2e-trial-line@example.test',
  password: 'correct horse battery',
  areaCode: '201',
  street: '1 Main St',
  city: 'Hoboken',
  region: 'NJ',
  postalCode: '07030'
} as const

/** The newest 6-digit trial code the dev mailbox holds for `email` (the service's development outbox). */
export async function trialCodeFor(email: string): Promise<string> {
  const mail = (await (
    await fetch(`${E2E.serviceUrl}/dev/mailbox.json?to=${encodeURIComponent(email)}`)
  ).json()) as { messages: { purpose: string; body: string | null }[] }
  // Newest first (dev-mailbox.ts): the code that works is the last one sent.
  const newest = mail.messages.find((m) => m.purpose === 'trial-code')
  const code = /\b(\d{6})\b/.exec(newest?.body ?? '')?.[1]
  expect(code, JSON.stringify(mail)).toBeTruthy()
  return code ?? ''
}

/** Turns the virtual dongle on and waits until main has it plugged in. */
export async function virtualDonglePlugged(): Promise<void> {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await expect
    .poll(async () => {
      const list = (await callMain('device.list')) as Envelope<{ devices: { serial: string | null }[] }>
      return list.ok && list.value.devices.some((d) => d.serial === TRIAL_ACCOUNT.serial)
    })
    .toBe(true)
}

/** Whether the virtual dongle's trial is still to be had on the run's service. */
export async function trialAvailable(): Promise<boolean> {
  const { serial, model } = TRIAL_ACCOUNT
  const info = (await callMain('account.lookupDevice', { serial, model })) as Envelope<{
    trialAvailable: boolean
  }>
  expect(info.ok, JSON.stringify(info)).toBe(true)
  return info.ok && info.value.trialAvailable
}

/**
 * Signed in to the trial line: started as a person does when it is still to be had (the dongle proves itself
 * through main, the code comes from the dev mailbox, activating signs this app in), else by signing in.
 */
export async function signedInTrialLine(): Promise<void> {
  await virtualDonglePlugged()
  const a = TRIAL_ACCOUNT
  if (!(await trialAvailable())) {
    const signedIn = await callMain('account.signIn', { identifier: a.email, password: a.password })
    expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true)
    return
  }
  const started = await callMain('account.startTrial', {
    serial: a.serial,
    model: a.model,
    name: a.name,
    billingAddress: {
      street: a.street,
      city: a.city,
      region: a.region,
      postalCode: a.postalCode,
      country: 'US'
    },
    email: a.email,
    password: a.password,
    areaCode: a.areaCode,
    acceptances: { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
  })
  expect(started.ok, JSON.stringify(started)).toBe(true)
  const { trialId } = (started as { value: { trialId: string } }).value
  const activated = await callMain('account.activateTrial', { trialId, code: await trialCodeFor(a.email) })
  expect(activated.ok, JSON.stringify(activated)).toBe(true)
}
