/**
 * Where each e2e test starts and what it leaves: the specs share one main process, so a test that changes the
 * settings or signs in must not hand that to the next one (the files run one after another, in order).
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'

/** Each test of the calling file starts in English, light, without the virtual dongle. */
export function startFromDefaultSettings(): void {
  test.beforeEach(async () => {
    const reset = await callMain('app.settings.set', { language: 'en', theme: 'light', virtualDongle: false })
    expect(reset.ok).toBe(true)
  })
}

/** Each test of the calling file leaves signed out, without the virtual dongle, as the later files expect. */
export function leaveSignedOut(): void {
  test.afterEach(async () => {
    await callMain('account.signOut')
    expect((await callMain('app.settings.set', { language: 'en', virtualDongle: false })).ok).toBe(true)
  })
}
