/**
 * A dongle with Dialtone's firmware interface for app tests without the rig: its phone interface replays like
 * the recorded TigerJet, and its firmware interface is answered by the same FirmwareTarget the virtual dongle and
 * the rig's gadget run, holding the key of a dongle the test's factory registered (test/support/dongles.ts). So
 * the app's activation commands attest through the real driver code, as they do with hardware.
 */
import { decodeFirmwareCommand, encodeAnswer } from '../../src/main/device/drivers/firmware-protocol'
import { FirmwareTarget } from '../../src/main/device/drivers/firmware-target'
import type { HidHandle } from '../../src/main/device/hid-port'
import { describeDevice } from '../../src/main/device/usb-libusb'
import type { TestDongle } from './dongles'
import { type FakeHid, tigerjetHidInfo } from './fake-hid'
import type { TestApp } from './test-app'
import { recordedTigerJet } from './tigerjet'

/** A firmware interface as the host sees it: output reports in, input reports (answers) out. */
export function firmwareInterfaceHandle(
  target: FirmwareTarget,
  beforeAnswer: (op: number) => void = () => undefined
): HidHandle {
  const data = new Set<(r: Uint8Array) => void>()
  return {
    async write(report: Uint8Array) {
      const body = report.subarray(1)
      const command = decodeFirmwareCommand(body)
      if (!command) return
      beforeAnswer(body[0] ?? 0)
      const answer = encodeAnswer(body[0] ?? 0, target.reply(command))
      setTimeout(() => {
        for (const l of data) l(answer)
      }, 1)
    },
    sendFeatureReport: () => Promise.reject(new Error('no feature report on this interface')),
    getFeatureReport: () => Promise.reject(new Error('no feature report on this interface')),
    onData(l: (r: Uint8Array) => void) {
      data.add(l)
      return () => void data.delete(l)
    },
    onError: () => () => undefined,
    close: async () => undefined
  }
}

let slots = 0

/** Plugs the dongle into the app's fake USB bus and waits until the app has it ready with its firmware access. */
export async function plugTestDongle(t: TestApp, dongle: TestDongle): Promise<string> {
  const slot = slots++
  const hid = t.ports.hid as FakeHid
  const phone = `/dev/hidraw${2 * slot + 100}`
  const firmware = `/dev/hidraw${2 * slot + 101}`
  hid.interfaces.push(tigerjetHidInfo(phone, dongle.serial), {
    ...tigerjetHidInfo(firmware, dongle.serial),
    usagePage: 0xff00,
    usage: 0xf1,
    interfaceNumber: 5
  })
  hid.devices.set(
    firmware,
    firmwareInterfaceHandle(
      new FirmwareTarget('1.0.0', {
        serial: dongle.serial,
        model: dongle.model,
        privateKey: dongle.privateKey
      })
    )
  )
  const usb = {
    ...describeDevice(recordedTigerJet(3, [slot + 1], slot + 2)),
    interfaceClasses: [8, 1, 1, 1, 3, 3]
  }
  t.app.devices.start()
  t.usb.plug(usb)
  const deadline = Date.now() + 5000
  for (;;) {
    const ready = t.app.devices
      .list()
      .devices.find((d) => d.id === usb.id && d.state === 'ready' && t.app.devices.driverFor(d.id)?.firmware)
    if (ready) return ready.id
    if (Date.now() > deadline) throw new Error(`the test dongle ${dongle.serial} did not become ready`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
