import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseKernelLog } from '../../../src/main/diagnostics/linux/kernel-log'
import { hubChainIds, portPath, readDongle } from '../../../src/main/diagnostics/linux/sysfs'
import { applyIoreg } from '../../../src/main/diagnostics/macos/ioreg'
import { applyPnp, parsePnpSnapshot } from '../../../src/main/diagnostics/windows/pnp'
import { emptyObservations, tigerjetTarget } from '../../support/diagnostics'

const fixtures = join(import.meta.dirname, '../../fixtures')
const text = (p: string): string => readFileSync(join(fixtures, p), 'utf8')
describe('the Linux sysfs collector on trees recorded from the real kernel', () => {
  it('reads the bus-powered 500 mA TigerJet, its root-hub port and the root hub', () => {
    const d = readDongle(join(fixtures, 'sysfs/tigerjet-bus-powered-500ma'), tigerjetTarget)
    expect(d).toMatchObject({
      declaredMa: 500,
      selfPowered: false,
      speedMbps: 12,
      configured: true,
      power: { control: 'on', runtimeStatus: 'active', autosuspendDelayMs: 2000 },
      port: { name: 'usb1-port1', overCurrentCount: 0, connectType: 'unknown', disabled: false },
      chain: [{ id: 'usb1', root: true, selfPowered: true, version: '2.00', ports: 1 }]
    })
  })

  it('tells the self-powered and the 100 mA recordings apart', () => {
    expect(readDongle(join(fixtures, 'sysfs/tigerjet-self-powered'), tigerjetTarget)).toMatchObject({
      selfPowered: true,
      declaredMa: 500
    })
    expect(readDongle(join(fixtures, 'sysfs/tigerjet-100ma'), tigerjetTarget)).toMatchObject({
      selfPowered: false,
      declaredMa: 100
    })
  })

  it('knows where a port and its hubs live', () => {
    expect(hubChainIds('1-1')).toEqual(['usb1'])
    expect(hubChainIds('3-1.4.2')).toEqual(['usb3', '3-1', '3-1.4'])
    expect(portPath('1-1')).toEqual({ dir: 'usb1/1-0:1.0/usb1-port1', name: 'usb1-port1' })
    expect(portPath('3-1.4')).toEqual({ dir: '3-1/3-1:1.0/3-1-port4', name: '3-1-port4' })
    expect(readDongle(join(fixtures, 'sysfs/tigerjet-100ma'), { ...tigerjetTarget, id: '9-9' })).toBeNull()
  })
})

describe('the kernel log parser', () => {
  it('recognises enumeration errors and reconnects, with their times and ports', () => {
    const logs = parseKernelLog(text('diagnostics/journal-flaky-port.txt'))
    expect(logs.map((l) => l.kind)).toEqual([
      'new-device',
      'descriptor-read-error',
      'address-error',
      'new-device',
      'disconnect',
      'new-device',
      'disconnect',
      'new-device',
      'disconnect',
      'new-device'
    ])
    expect(logs[1]).toMatchObject({ time: '2026-11-20T08:01:02.000Z', target: '1-1', source: 'kernel' })
  })

  it('recognises power refusals and over-current', () => {
    const kinds = parseKernelLog(text('diagnostics/journal-rejected-power.txt')).map((l) => [
      l.kind,
      l.target
    ])
    expect(kinds).toEqual([
      ['new-device', '1-1.2'],
      ['insufficient-power', '1-1.2'],
      ['over-current', '1-1-port2']
    ])
  })

  it('reads plain dmesg too, without times', () => {
    const logs = parseKernelLog(text('diagnostics/dmesg-enumeration-failed.txt'))
    expect(logs.map((l) => [l.kind, l.target, l.time])).toEqual([
      ['new-device', '2-3', null],
      ['descriptor-read-error', '2-3', null],
      ['descriptor-read-error', '2-3', null],
      ['cannot-enable', '2-3', null],
      ['enumeration-failed', 'usb2-port3', null]
    ])
  })
})

describe('the Windows PnP collector', () => {
  it('reads problem codes, port locations, failed enumerations and selective suspend', () => {
    const obs = applyPnp(
      emptyObservations('win32'),
      [{ ...tigerjetTarget }],
      new Map(),
      parsePnpSnapshot(text('diagnostics/pnp-problem-43.json'))
    )
    expect(obs.dongles[0]).toMatchObject({
      problemCode: 43,
      problemText: 'CM_PROB_FAILED_POST_START: Windows stopped the device because it reported problems',
      port: { name: 'Port_#0002.Hub_#0003', state: 'Error' }
    })
    expect(obs.logs.map((l) => l.kind)).toEqual(['enumeration-failed', 'enumeration-failed'])
    expect(obs.logs[0]?.line).toContain(
      'Unknown USB Device (Device Descriptor Request Failed) at Port_#0003.Hub_#0001'
    )
    expect(obs.selectiveSuspend).toBe(true)
  })
})

describe('the macOS ioreg collector', () => {
  it('walks the IOUSB plane: the hub above the dongle is bus powered, the dongle was refused power', () => {
    const obs = applyIoreg(
      emptyObservations('darwin'),
      [{ ...tigerjetTarget }],
      new Map(),
      text('diagnostics/ioreg-bus-powered-hub.plist')
    )
    expect(obs.dongles[0]).toMatchObject({
      speedMbps: 12,
      configured: false,
      chain: [
        { root: true, selfPowered: true, version: '2.00' },
        { root: false, selfPowered: false }
      ]
    })
  })
})
