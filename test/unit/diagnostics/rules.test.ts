import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDongle } from '../../../src/main/diagnostics/linux/sysfs'
import { parseKernelLog } from '../../../src/main/diagnostics/linux/kernel-log'
import type { DongleObservation, Observations } from '../../../src/shared/diagnostics/observations'
import { diagnose, hubInterfaceName, maxDetachesInWindow } from '../../../src/shared/diagnostics/rules'
import { overallHealth, VERDICT_CODES, VERDICT_TEXT } from '../../../src/shared/diagnostics/verdicts'
import { emptyObservations, tigerjetTarget } from '../../support/diagnostics'
import { readFileSync } from 'node:fs'

const fixtures = join(import.meta.dirname, '../../fixtures')
const recorded = (scenario: string): DongleObservation => {
  const d = readDongle(join(fixtures, 'sysfs', scenario), tigerjetTarget)
  if (!d) throw new Error(`no recording ${scenario}`)
  return d
}
const obs = (dongles: DongleObservation[], extra: Partial<Observations> = {}): Observations => ({
  ...emptyObservations(),
  dongles,
  ...extra
})
const codes = (o: Observations): string[] => diagnose(o).map((v) => v.code)

describe('port-power rules on the recorded sysfs trees', () => {
  it('nothing wrong: a bus-powered 500 mA dongle on a root port uses the whole port, and that is fine', () => {
    const verdicts = diagnose(obs([recorded('tigerjet-bus-powered-500ma')]))
    expect(verdicts.map((v) => v.code)).toEqual(['POWER_AT_LIMIT'])
    expect(overallHealth(verdicts)).toBe('healthy')
    expect(verdicts[0]?.evidence).toContain('1-1 bMaxPower: 500 mA')
  })

  it('a self-powered dongle and one declaring 100 mA get different verdicts', () => {
    expect(codes(obs([recorded('tigerjet-self-powered')]))).toEqual(['SELF_POWERED'])
    expect(codes(obs([recorded('tigerjet-100ma')]))).toEqual(['DECLARED_BELOW_NEED'])
  })

  it('behind a bus-powered hub the dongle cannot get its 500 mA: move it', () => {
    const d = recorded('tigerjet-bus-powered-500ma')
    const behindHub = {
      ...d,
      id: '1-1.2',
      chain: [...d.chain, { id: '1-1', root: false, selfPowered: false, version: '2.00', ports: 4 }]
    }
    const verdicts = diagnose(obs([behindHub]))
    expect(verdicts[0]).toMatchObject({ code: 'POWER_BUDGET', severity: 'problem' })
    expect(verdicts[0]?.evidence).toEqual([
      '1-1.2 needs: 500 mA (model needs 500 mA, declares 500 mA)',
      'port gives: 100 mA',
      'hub 1-1: bus-powered (no power adapter)'
    ])
    expect(verdicts[0]?.fix).toMatch(/^Plug the dongle into a port on the computer itself/)
  })

  it('over-current comes first, before any power verdict', () => {
    const d = recorded('tigerjet-bus-powered-500ma')
    const tripped = { ...d, port: d.port && { ...d.port, overCurrentCount: 2 } }
    expect(codes(obs([tripped]))[0]).toBe('OVERCURRENT')
  })

  it('a refused configuration, from sysfs or from the kernel log', () => {
    const d = recorded('tigerjet-bus-powered-500ma')
    expect(codes(obs([{ ...d, configured: false }]))).toContain('REJECTED_CONFIG')
    const logs = parseKernelLog(
      readFileSync(join(fixtures, 'diagnostics/journal-rejected-power.txt'), 'utf8')
    )
    expect(
      codes(
        obs(
          [
            {
              ...d,
              id: '1-1.2',
              chain: [...d.chain, { id: '1-1', root: false, selfPowered: false, version: '2.00', ports: 4 }],
              port: { ...d.port!, name: '1-1-port2' }
            }
          ],
          { logs }
        )
      )
    ).toEqual(['OVERCURRENT', 'REJECTED_CONFIG', 'POWER_BUDGET'])
  })

  it('a reconnect loop is flapping: from the app’s own hotplug log or from the kernel log', () => {
    const d = recorded('tigerjet-bus-powered-500ma')
    const events = [0, 10, 20, 30].flatMap((s) => [
      {
        time: new Date(Date.UTC(2026, 10, 20, 8, 0, s)).toISOString(),
        kind: 'detach' as const,
        deviceId: '1-1',
        detail: null
      },
      {
        time: new Date(Date.UTC(2026, 10, 20, 8, 0, s + 2)).toISOString(),
        kind: 'attach' as const,
        deviceId: '1-1',
        detail: null
      }
    ])
    expect(codes(obs([d], { events }))[0]).toBe('FLAPPING')
    const logs = parseKernelLog(readFileSync(join(fixtures, 'diagnostics/journal-flaky-port.txt'), 'utf8'))
    expect(codes(obs([d], { logs }))).toEqual(['FLAPPING', 'ENUMERATION', 'POWER_AT_LIMIT'])
    // Switching the virtual dongle on and off is not a port dropping out.
    const virtual = { ...d, id: 'virtual' }
    expect(codes(obs([virtual], { events: events.map((e) => ({ ...e, deviceId: 'virtual' })) }))).toEqual([
      'POWER_AT_LIMIT'
    ])
    // Two reconnects an hour apart are not flapping.
    expect(codes(obs([d], { events: events.slice(0, 2) }))).toEqual(['POWER_AT_LIMIT'])
  })

  it('permissions, driver problems, slow links and autosuspend each get their verdict', () => {
    const d = recorded('tigerjet-bus-powered-500ma')
    expect(codes(obs([{ ...d, permission: 'denied' }]))).toContain('PERMISSION')
    expect(codes(obs([{ ...d, problemCode: 43, problemText: 'x' }]))).toContain('DRIVER_PROBLEM')
    expect(codes(obs([{ ...d, speedMbps: 1.5 }]))).toContain('WRONG_SPEED')
    expect(codes(obs([{ ...d, power: { ...d.power, control: 'auto' } }]))).toContain('AUTOSUSPEND')
  })

  it('no dongle: "plug it in", unless the system shows a device that failed to start', () => {
    expect(codes(obs([]))).toEqual(['NOT_FOUND'])
    const logs = parseKernelLog(
      readFileSync(join(fixtures, 'diagnostics/dmesg-enumeration-failed.txt'), 'utf8')
    )
    const v = diagnose(obs([], { logs }))
    expect(v.map((x) => x.code)).toEqual(['MISSING_WITH_FAILURES'])
    expect(v[0]?.evidence).toContain('[    5.230451] usb usb2-port3: unable to enumerate USB device')
    expect(overallHealth(v)).toBe('problems')
  })

  it('cannot inspect: says so, and nothing else', () => {
    const v = diagnose({ ...obs([]), inspected: false, error: 'LIBUSB_ERROR_ACCESS' })
    expect(v).toHaveLength(1)
    expect(overallHealth(v)).toBe('not-inspected')
  })

  it('counts detaches inside the window, not over the whole day', () => {
    expect(maxDetachesInWindow([0, 1000, 2000, 3_600_000])).toBe(3)
    expect(maxDetachesInWindow([0, 61_000, 122_000])).toBe(1)
  })

  it('has words for every verdict', () => {
    for (const code of VERDICT_CODES) expect(VERDICT_TEXT[code].fix.length, code).toBeGreaterThan(10)
  })
})

describe('rules on hub answers and kernel resets', () => {
  const d = recorded('tigerjet-bus-powered-500ma')
  const port = d.port ?? {
    name: 'usb1-port1',
    overCurrentCount: 0,
    connectType: null,
    state: null,
    disabled: null,
    hubStatus: null
  }

  it('the hub’s own GET_STATUS over-current bit is over-current', () => {
    const hubStatus = {
      connected: true,
      powered: true,
      enabled: false,
      suspended: false,
      overCurrent: false,
      overCurrentChanged: true
    }
    const v = diagnose(obs([{ ...d, port: { ...port, hubStatus } }]))
    expect(v[0]?.code).toBe('OVERCURRENT')
    expect(v[0]?.evidence).toContain('usb1-port1 hub GET_STATUS: over-current since last cleared')
  })

  it('a hub that stops answering is named', () => {
    const behindHub = {
      ...d,
      id: '1-1.2',
      chain: [...d.chain, { id: '1-1', root: false, selfPowered: true, version: '2.00', ports: 4 }]
    }
    const logs = parseKernelLog(
      '2026-11-20T09:00:00+0000 desk kernel: hub 1-1:1.0: hub_ext_port_status failed (err = -71)'
    )
    expect(codes(obs([behindHub], { logs }))).toContain('HUB_FAILING')
  })

  it('three resets of the same device are enumeration trouble; one is not', () => {
    const line = (n: number) =>
      `2026-11-20T09:00:0${n}+0000 desk kernel: usb 1-1: reset full-speed USB device number 5 using xhci_hcd`
    expect(codes(obs([d], { logs: parseKernelLog([1, 2, 3].map(line).join('\n')) }))).toContain('ENUMERATION')
    expect(codes(obs([d], { logs: parseKernelLog(line(1)) }))).not.toContain('ENUMERATION')
  })
})

describe('hub interface names as the kernel writes them', () => {
  it('root hubs and external hubs', () => {
    expect(hubInterfaceName({ id: 'usb1', root: true, selfPowered: true, version: '2.00', ports: 4 })).toBe(
      '1-0:1.0'
    )
    expect(hubInterfaceName({ id: '1-1', root: false, selfPowered: false, version: '2.00', ports: 4 })).toBe(
      '1-1:1.0'
    )
  })
})
