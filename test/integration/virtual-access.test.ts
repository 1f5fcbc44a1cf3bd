/**
 * The virtual dongle and the access rule (the newcomer's README run): on Linux with no udev rule installed, the
 * setup wizard's "Allow access" step says the virtual dongle needs none, and the Diagnostics page's "Device
 * access" row (`setup.permissions`) must agree instead of saying the rule is missing; a real dongle, or no dongle,
 * still reads "missing" (setup will install it), and an installed rule reads "installed".
 */
import { afterEach, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import { VIRTUAL_DEVICE_ID } from '../../src/shared/ipc/device'
import { accessRow } from '../../src/shared/diagnostics/access'
import { type TestApp, testApp } from '../support/test-app'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.app.dispose()
})

async function virtualApp(): Promise<TestApp> {
  const t = testApp({ platform: 'linux', fileExists: () => false, forceVirtualDongle: true })
  apps.push(t)
  t.app.start()
  const deadline = Date.now() + 5000
  while (
    !(await call(t.app.dispatch, 'device.list', undefined)).devices.some((d) => d.id === VIRTUAL_DEVICE_ID)
  ) {
    if (Date.now() > deadline) throw new Error('the virtual dongle did not appear')
    await new Promise((r) => setTimeout(r, 20))
  }
  return t
}

describe('access rule for the virtual dongle', () => {
  it('the wizard and Diagnostics agree: not needed for the virtual dongle', async () => {
    const t = await virtualApp()
    const setup = await call(t.app.dispatch, 'setup.run', { deviceId: VIRTUAL_DEVICE_ID })
    expect(setup.results.find((r) => r.step === 'permissions')).toEqual({
      step: 'permissions',
      outcome: 'skipped',
      message: 'the virtual dongle needs no access rule'
    })
    const row = await call(t.app.dispatch, 'setup.permissions', undefined)
    expect(row).toEqual({
      platform: 'linux',
      status: 'virtual',
      rulePath: '/etc/udev/rules.d/70-dialtone.rules'
    })
  })

  it('a real dongle or none still reads missing; an installed rule reads installed; other systems need nothing', () => {
    expect(accessRow('linux', false, [])).toBe('missing')
    expect(accessRow('linux', false, [{ virtual: true }, { virtual: false }])).toBe('missing')
    expect(accessRow('linux', true, [{ virtual: true }])).toBe('installed')
    expect(accessRow('win32', false, [{ virtual: false }])).toBe('not-needed')
  })
})
