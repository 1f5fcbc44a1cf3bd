/**
 * The setup's "Allow access" step when the rule is installed by hand: the password dialog is closed (or pkexec is
 * missing), the wizard shows the command to run in a terminal "then press Continue", and Continue
 * (`setup.checkPermissions`) must find the dongle usable and go on. Running the command announces nothing (its
 * `udevadm trigger --action=change` sends no attach), and a rescan leaves a known dongle alone: before this
 * command existed, the step waited for ever unless the dongle was unplugged and plugged back in.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { describeDevice } from '../../../src/main/device/usb-libusb'
import { call } from '../../../src/main/ipc/dispatcher'
import { fakeHid, fakeHidSystem, tigerjetHidInfo } from '../../support/fake-hid'
import { recordedTigerJet } from '../../support/tigerjet'
import { type TestApp, testApp } from '../../support/test-app'

const RULE = '/etc/udev/rules.d/70-dialtone.rules'
const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.app.dispose()
})

async function until(pred: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 3000
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('allowing access by hand, then Continue', () => {
  it('opens the refused dongle again and goes past the permissions step', async () => {
    // This user may not open the dongle's node, and there is no rule yet.
    const denied = ['/dev/hidraw0']
    let ruleInstalled = false
    const t = testApp({
      platform: 'linux',
      hid: fakeHid([tigerjetHidInfo('/dev/hidraw0')]),
      hidSystem: fakeHidSystem({ owners: { '/dev/hidraw0': '1-2' }, denied }),
      fileExists: (p) => ruleInstalled && p === RULE,
      udevRulePath: '/opt/dialtone/resources/udev/70-dialtone.rules',
      // No pkexec on this system: the person is given the command instead.
      run: async () => ({ code: 1, stdout: '', stderr: '' })
    })
    apps.push(t)
    t.usb.plug(describeDevice(recordedTigerJet()))
    t.app.start()
    const device = async () =>
      (await call(t.app.dispatch, 'device.list', undefined)).devices.find((d) => d.id === '1-2')
    await until(async () => (await device())?.problem?.code === 'PERMISSION_NEEDED', 'the refusal')

    const waiting = await call(t.app.dispatch, 'setup.run', { deviceId: '1-2' })
    expect(waiting).toMatchObject({ step: 'permissions', status: 'waiting' })
    const allow = await call(t.app.dispatch, 'setup.installPermissions', { deviceId: '1-2' })
    expect(allow).toMatchObject({ installed: false, reason: 'pkexec is not available on this system' })
    if (allow.installed) throw new Error('unreachable')
    expect(allow.command).toContain('udevadm trigger')

    // Continue before the command ran: still waiting at the same step, nothing else changed.
    expect(await call(t.app.dispatch, 'setup.checkPermissions', { deviceId: '1-2' })).toMatchObject({
      step: 'permissions',
      status: 'waiting'
    })

    // The person runs the command in a terminal: the rule is in place and the node's mode changed.
    ruleInstalled = true
    denied.splice(0)
    const after = await call(t.app.dispatch, 'setup.checkPermissions', { deviceId: '1-2' })
    expect(after.results.find((r) => r.step === 'permissions')).toMatchObject({ outcome: 'done' })
    expect(after.step).not.toBe('permissions')
    expect((await device())?.problem).toBeNull()
    expect(['ready', 'in-use']).toContain((await device())?.state)
  })
})
