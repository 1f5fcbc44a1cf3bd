/**
 * The firmware interface (firmware-protocol.ts' second transport): commands as output reports, answers as input
 * reports naming the command's opcode, against the one device-side implementation the virtual dongle and the rig
 * share; how the device layer finds that interface beside the phone's; and what a real dongle's card says its
 * firmware is (checking, then the version it reports at plug-in, never the USB release).
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type FirmwareError, firmwareAccess } from '../../../src/main/device/drivers/firmware-access'
import {
  FIRMWARE_INTERFACE_DESCRIPTOR,
  FIRMWARE_USAGE,
  FIRMWARE_USAGE_PAGE,
  FW_STATUS,
  decodeAnswer,
  decodeFirmwareCommand,
  encodeAnswer
} from '../../../src/main/device/drivers/firmware-protocol'
import { FirmwareTarget } from '../../../src/main/device/drivers/firmware-target'
import { DeviceManager } from '../../../src/main/device/device-manager'
import { openFirmwareInterface } from '../../../src/main/device/firmware-interface'
import type { HidHandle, HidInterfaceInfo } from '../../../src/main/device/hid-port'
import { phoneInterfaceOf } from '../../../src/main/device/hid-system'
import { describeDevice } from '../../../src/main/device/usb-libusb'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import type { Device, DeviceChanged } from '../../../src/shared/ipc/device'
import { parseHidDescriptor } from '../../../src/shared/telephony/hid-descriptor'
import { fakeHid, fakeHidSystem, tigerjetHidInfo } from '../../support/fake-hid'
import { fakeUsb } from '../../support/fake-usb'
import { recordedTigerJet } from '../../support/tigerjet'

/** A firmware interface as the host sees it: output reports in, input reports out, a stale answer first. */
function interfaceHandle(target: FirmwareTarget, answer = true): HidHandle & { sent: number } {
  const data = new Set<(r: Uint8Array) => void>()
  const handle = {
    sent: 0,
    async write(report: Uint8Array) {
      handle.sent++
      const body = report.subarray(1)
      const command = decodeFirmwareCommand(body)
      if (!command || !answer) return
      const status = target.handle(command)
      setTimeout(() => {
        // An answer to some other command arrives first; it must not be taken for this one's.
        for (const l of data) l(encodeAnswer(body[0] === 0x40 ? 0x44 : 0x40, { ...status, version: 'stale' }))
        for (const l of data) l(encodeAnswer(body[0] ?? 0, status))
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
  return handle
}

const firmwareInfo = (path: string): HidInterfaceInfo => ({
  ...tigerjetHidInfo(path),
  usagePage: FIRMWARE_USAGE_PAGE,
  usage: FIRMWARE_USAGE,
  interfaceNumber: 4
})

describe('the firmware interface', () => {
  it('declares one 64-byte input and one 64-byte output report on the vendor page', () => {
    const d = parseHidDescriptor(FIRMWARE_INTERFACE_DESCRIPTOR)
    expect(d.usesReportIds).toBe(false)
    expect(d.applications).toEqual([FIRMWARE_USAGE_PAGE * 0x10000 + FIRMWARE_USAGE])
    expect(d.reports.map((r) => [r.kind, r.reportId, r.bitLength])).toEqual([
      ['input', 0, 512],
      ['output', 0, 512]
    ])
  })

  it('writes an image and reads the new version back, matching each answer to its command', async () => {
    const target = new FirmwareTarget('2.0.0')
    const fw = firmwareAccess(interfaceHandle(target), { via: 'interface', timeoutMs: 500 })
    expect(await fw.version()).toBe('2.0.0')
    const image = randomBytes(500)
    await fw.write(image, '2.1.0')
    expect(await fw.version()).toBe('2.1.0')
    expect(target.version).toBe('2.1.0')
  })

  it('gives up on a dongle that stops answering, which keeps its firmware', async () => {
    const target = new FirmwareTarget('2.0.0')
    const err = await firmwareAccess(interfaceHandle(target, false), { via: 'interface', timeoutMs: 30 })
      .write(randomBytes(100), '2.1.0')
      .catch((e: unknown) => e as FirmwareError)
    expect(err).toMatchObject({
      code: 'device-gone',
      message: expect.stringMatching(/no answer.*old firmware/)
    })
    expect(target.version).toBe('2.0.0')
  })

  it('encodes an answer the host decodes, and ignores input that is not one', () => {
    const s = { status: FW_STATUS.receiving, received: 560, version: '3.4.5' }
    expect(decodeAnswer(encodeAnswer(0x42, s))).toEqual({ op: 0x42, status: s })
    expect(decodeAnswer(Uint8Array.from([0x00, 0x80]))).toBeNull()
  })
})

describe('finding the firmware interface', () => {
  const twoHid = { ...describeDevice(recordedTigerJet(1, [1])), interfaceClasses: [3, 3] }
  const owners = { '/dev/hidraw0': '1-1', '/dev/hidraw1': '1-1' }
  const wait = { timeoutMs: 300, pollMs: 5 }

  it('never takes the firmware interface for the phone', () => {
    const list = [firmwareInfo('/dev/hidraw1'), tigerjetHidInfo('/dev/hidraw0')]
    const system = fakeHidSystem({ owners })
    expect(phoneInterfaceOf(twoHid, list, system, true)?.path).toBe('/dev/hidraw0')
    expect(phoneInterfaceOf(twoHid, [firmwareInfo('/dev/hidraw1')], system, true)).toBeNull()
  })

  it('waits for its node to appear and opens it', async () => {
    const hid = fakeHid([tigerjetHidInfo('/dev/hidraw0')])
    setTimeout(() => hid.interfaces.push(firmwareInfo('/dev/hidraw1')), 30)
    const fw = await openFirmwareInterface(twoHid, hid, fakeHidSystem({ owners }), silentLogger(), wait)
    expect(fw).not.toBeNull()
    expect([...hid.handles.keys()]).toEqual(['/dev/hidraw1'])
    // Unplugged between two commands: heard and logged, not thrown (the rig found this one).
    expect(() => hid.handles.get('/dev/hidraw1')?.fail('device disconnected')).not.toThrow()
  })

  it('decides at once for a dongle with one HID interface, and once every node is there without one', async () => {
    const hid = fakeHid([tigerjetHidInfo('/dev/hidraw0')])
    const one = describeDevice(recordedTigerJet(1, [1]))
    expect(await openFirmwareInterface(one, hid, fakeHidSystem({ owners }), silentLogger(), wait)).toBeNull()
    hid.interfaces.push({ ...tigerjetHidInfo('/dev/hidraw1'), usagePage: 0x0c, usage: 0x01 })
    const started = Date.now()
    expect(
      await openFirmwareInterface(twoHid, hid, fakeHidSystem({ owners }), silentLogger(), wait)
    ).toBeNull()
    expect(Date.now() - started).toBeLessThan(wait.timeoutMs)
    expect(hid.handles.size).toBe(0)
  })
})

describe('a real dongle’s firmware on the Device page', () => {
  const twoHid = { ...describeDevice(recordedTigerJet(1, [1])), interfaceClasses: [3, 3] }
  const owners = { '/dev/hidraw0': '1-1', '/dev/hidraw1': '1-1' }
  const descriptors = {
    '/dev/hidraw0': Uint8Array.from(
      readFileSync(
        join(import.meta.dirname, '../../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin')
      )
    )
  }

  /** The firmware interface, counting a command sent while another still waits for its answer. */
  function oneAtATime(target: FirmwareTarget): HidHandle & { overlaps: number; commands: number } {
    const inner = interfaceHandle(target)
    let waiting: number | null = null
    inner.onData((r) => {
      if (decodeAnswer(r)?.op === waiting) waiting = null
    })
    const handle = {
      ...inner,
      overlaps: 0,
      commands: 0,
      async write(report: Uint8Array) {
        if (waiting !== null) handle.overlaps++
        waiting = report[1] ?? 0
        handle.commands++
        await inner.write(report)
      }
    }
    return handle
  }

  function manager(withFirmware: FirmwareTarget | null) {
    const hid = fakeHid([
      tigerjetHidInfo('/dev/hidraw0'),
      ...(withFirmware ? [firmwareInfo('/dev/hidraw1')] : [])
    ])
    const fw = withFirmware ? oneAtATime(withFirmware) : null
    if (fw) hid.devices.set('/dev/hidraw1', fw)
    const usb = withFirmware ? twoHid : describeDevice(recordedTigerJet(1, [1]))
    const bus = new EventBus(silentLogger())
    const seen: Pick<Device, 'state' | 'firmwareVersion' | 'firmwareChecking'>[] = []
    bus.subscribe((name, p) => {
      const d = name === 'device.changed' ? (p as DeviceChanged).devices[0] : undefined
      if (d)
        seen.push({
          state: d.state,
          firmwareVersion: d.firmwareVersion,
          firmwareChecking: d.firmwareChecking
        })
    })
    const m = new DeviceManager(
      fakeUsb([usb]),
      hid,
      fakeHidSystem({ owners, descriptors }),
      bus,
      silentLogger(),
      {
        identifyTimeoutMs: 400,
        pollMs: 5
      }
    )
    return { m, fw, seen, device: () => m.list().devices[0] }
  }
  const until = async (pred: () => boolean): Promise<void> => {
    const deadline = Date.now() + 2000
    while (!pred()) {
      if (Date.now() > deadline) throw new Error('timed out')
      await new Promise((r) => setTimeout(r, 5))
    }
  }

  it('is "checking" from plug-in, then the version the dongle reports, never its USB release', async () => {
    const target = new FirmwareTarget('2.3.1')
    const r = manager(target)
    r.m.start()
    expect(r.device()).toMatchObject({ firmware: '0.08', firmwareVersion: null, firmwareChecking: true })
    await until(() => r.device()?.state === 'ready')
    // The setup's update step asks at once: its read waits for the plug-in one, one command at a time.
    const setupRead = r.m.driverFor(r.device()?.id ?? '')?.firmware?.version()
    await until(() => r.device()?.firmwareChecking === false)
    expect(await setupRead).toBe('2.3.1')
    expect(r.device()).toMatchObject({ firmwareVersion: '2.3.1', firmwareChecking: false })
    expect(r.fw?.commands).toBe(2)
    expect(r.fw?.overlaps).toBe(0)
    // At no moment was the USB release the only figure: until the version came, it was being checked.
    expect(r.seen.filter((s) => s.firmwareVersion === null && !s.firmwareChecking)).toEqual([])
    await r.m.dispose()
  })

  it('a dongle without the firmware protocol has no firmware figure (unknown), not its USB release', async () => {
    const r = manager(null)
    r.m.start()
    await until(() => r.device()?.state === 'ready')
    expect(r.device()).toMatchObject({ firmware: '0.08', firmwareVersion: null, firmwareChecking: false })
    await r.m.dispose()
  })
})
