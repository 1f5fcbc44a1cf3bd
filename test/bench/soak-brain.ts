/**
 * The app brain alone in its process, for the memory soak (soak.bench.ts): the same createApp the Electron main
 * process runs, signed in to the bench service, with the virtual dongle (calls ring it) and the fake USB bus with
 * the recorded TigerJet (hotplugs go through the device manager, the drivers and the setup engine). The parent
 * drives it over IPC: plug, unplug, answer, hang up, and "memory" (after a full garbage collection).
 * Runs with --expose-gc.
 */
import WebSocket from 'ws'
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryVault } from '../../src/main/store/secret-vault'
import type { PayloadOf } from '../../src/shared/ipc/contract'
import { describeDevice } from '../../src/main/device/usb-libusb'
import { type FakeHid, tigerjetHidInfo } from '../support/fake-hid'
import { testApp } from '../support/test-app'
import { recordedTigerJet } from '../support/tigerjet'

export type SoakCommand = 'plug' | 'unplug' | 'answer' | 'hangup' | 'memory' | 'snapshot' | 'stop'
export type SoakMessage =
  | { kind: 'ready' }
  | { kind: 'phase'; phase: string }
  | { kind: 'done'; op: SoakCommand; memory?: NodeJS.MemoryUsage; devices?: number }

;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket
const { base, email, password } = JSON.parse(process.env.DIALTONE_SOAK ?? '{}') as {
  base: string
  email: string
  password: string
}
const send = (m: SoakMessage): void => void process.send?.(m)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const t = testApp({
  service: createServiceClient(),
  vault: memoryVault(),
  settingsDefaults: { serviceUrl: base },
  forceVirtualDongle: true
})
const hid = t.ports.hid as FakeHid
const dongle = describeDevice(recordedTigerJet(1, [1]))
t.app.start()
t.app.events.subscribe((name, payload) => {
  if (name === 'phone.callStateChanged')
    send({ kind: 'phase', phase: (payload as PayloadOf<'phone.callStateChanged'>).phase })
  if (name === 'phone.statusChanged' && (payload as PayloadOf<'phone.statusChanged'>).state === 'registered')
    send({ kind: 'ready' })
})
await call(t.app.dispatch, 'account.signIn', { identifier: email, password })

process.on('message', (op: SoakCommand) => {
  void (async () => {
    switch (op) {
      case 'plug':
        hid.interfaces.push(tigerjetHidInfo('/dev/hidraw0'))
        t.usb.plug(dongle)
        break
      case 'unplug':
        t.usb.unplug(dongle.id)
        hid.interfaces.splice(0)
        break
      case 'answer':
        await call(t.app.dispatch, 'phone.answer', undefined)
        break
      case 'hangup':
        await call(t.app.dispatch, 'phone.hangup', undefined)
        break
      case 'memory':
        gc()
        await new Promise((r) => setTimeout(r, 50))
        gc()
        send({
          kind: 'done',
          op,
          memory: process.memoryUsage(),
          devices: (await call(t.app.dispatch, 'device.list', undefined)).devices.length
        })
        return
      case 'snapshot':
        gc()
        ;(await import('node:v8')).writeHeapSnapshot(`/tmp/soak-${Date.now()}.heapsnapshot`)
        break
      case 'stop':
        await t.app.dispose()
        send({ kind: 'done', op })
        process.exit(0)
    }
    send({ kind: 'done', op })
  })().catch((err: unknown) => console.error('the run failed', err))
})
