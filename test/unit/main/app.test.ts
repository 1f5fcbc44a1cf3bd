import { describe, expect, it } from 'vitest'
import { call } from '../../../src/main/ipc/dispatcher'
import { describeDevice } from '../../../src/main/device/usb-libusb'
import type { DeviceChanged } from '../../../src/shared/ipc/device'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'
import { recordedTigerJet } from '../../support/tigerjet'
import { testApp } from '../../support/test-app'

const tigerjet = describeDevice(recordedTigerJet())

describe('createApp: the brain behind the contract', () => {
  it('answers app.info with the host it runs in', async () => {
    const { app } = testApp()
    const info = await call(app.dispatch, 'app.info', undefined)
    expect(info).toMatchObject({ name: 'Dialtone', host: 'web', platform: 'linux', electronVersion: null })
    expect(info.nodeVersion).toBe(process.versions.node)
  })

  it('lists USB devices, and an empty bus is an empty list', async () => {
    const { app, usb } = testApp()
    expect(await call(app.dispatch, 'device.list', undefined)).toEqual({
      devices: [],
      usb: [],
      hotplug: true
    })
    usb.plug(tigerjet)
    expect((await call(app.dispatch, 'device.list', undefined)).usb).toEqual([tigerjet])
  })

  it('reports a USB stack failure as an error, not as an empty list', async () => {
    const { app, usb } = testApp()
    usb.failWith('LIBUSB_ERROR_NO_MEM')
    const result = await app.dispatch('device.list', undefined, { host: 'test', origin: 't' })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'USB_ERROR',
        reason: 'usb-error',
        message: 'the USB stack did not answer: LIBUSB_ERROR_NO_MEM'
      }
    })
    expect(await call(app.dispatch, 'diagnostics.usbStack', undefined)).toEqual({
      available: false,
      hotplug: false,
      error: 'LIBUSB_ERROR_NO_MEM'
    })
  })

  it('announces plug and unplug as device.changed with the new lists, once started', async () => {
    const { app, usb } = testApp()
    const seen: { kind: string; id: string; usb: number }[] = []
    app.events.subscribe((name, payload) => {
      if (name !== 'device.changed') return
      const p = payload as DeviceChanged
      seen.push({ kind: p.change.kind, id: p.change.id, usb: p.usb.length })
    })
    usb.plug(tigerjet)
    expect(seen).toEqual([])
    app.start()
    await new Promise((r) => setTimeout(r, 20))
    usb.unplug(tigerjet.id)
    await new Promise((r) => setTimeout(r, 20))
    expect(seen[0]).toEqual({ kind: 'attached', id: '1-2', usb: 1 })
    expect(seen.at(-1)).toEqual({ kind: 'detached', id: '1-2', usb: 0 })
    await app.dispose()
    expect(usb.watching()).toBe(0)
  })

  it('changes settings only by a valid patch, and announces the change', async () => {
    const { app } = testApp()
    const seen: unknown[] = []
    app.events.subscribe((name, payload) => name === 'app.settingsChanged' && seen.push(payload))
    expect(await call(app.dispatch, 'app.settings.get', undefined)).toEqual(DEFAULT_SETTINGS)
    const next = await call(app.dispatch, 'app.settings.set', { language: 'fa', theme: 'dark' })
    expect(next).toEqual({ ...DEFAULT_SETTINGS, language: 'fa', theme: 'dark' })
    expect(seen).toEqual([next])
    await expect(call(app.dispatch, 'app.settings.set', { serviceUrl: 'ftp://x' })).rejects.toThrow(
      'bad argument to app.settings.set: serviceUrl: serviceUrl must be an http(s) URL'
    )
    await expect(call(app.dispatch, 'app.settings.set', {})).rejects.toThrow('must name at least one setting')
    expect(await call(app.dispatch, 'app.settings.get', undefined)).toEqual(next)
    expect(seen).toHaveLength(1)
  })

  it('says truthfully what the OS needs for device access', async () => {
    const linux = testApp({ fileExists: (p) => p === '/usr/lib/udev/rules.d/70-dialtone.rules' })
    expect(await call(linux.app.dispatch, 'setup.permissions', undefined)).toEqual({
      platform: 'linux',
      status: 'installed',
      rulePath: '/usr/lib/udev/rules.d/70-dialtone.rules'
    })
    expect(await call(testApp().app.dispatch, 'setup.permissions', undefined)).toMatchObject({
      status: 'missing',
      rulePath: '/etc/udev/rules.d/70-dialtone.rules'
    })
    const windows = testApp({ platform: 'win32' })
    expect(await call(windows.app.dispatch, 'setup.permissions', undefined)).toEqual({
      platform: 'win32',
      status: 'not-needed',
      rulePath: null
    })
  })

  it('reports no phone line until one is provisioned', async () => {
    expect(await call(testApp().app.dispatch, 'phone.status', undefined)).toEqual({
      state: 'unconfigured',
      number: null,
      problem: null,
      retryAt: null,
      reason: null
    })
  })
})
