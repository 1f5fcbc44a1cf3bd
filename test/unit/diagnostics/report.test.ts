import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { findModel } from '../../../src/main/device/catalog'
import { newRecord, toDevice } from '../../../src/main/device/device-record'
import { describeDevice } from '../../../src/main/device/usb-libusb'
import { HotplugLog, KEEP_MS } from '../../../src/main/diagnostics/hotplug-log'
import { readDongle } from '../../../src/main/diagnostics/linux/sysfs'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { memoryStore } from '../../../src/main/store/key-value-store'
import {
  buildReport,
  maskSerial,
  renderReportHtml,
  REPORT_SCHEMA
} from '../../../src/shared/diagnostics/report'
import { diagnose } from '../../../src/shared/diagnostics/rules'
import { hotplugEventSchema, reportSchema } from '../../../src/shared/diagnostics/schema'
import { emptyObservations, tigerjetTarget } from '../../support/diagnostics'
import { recordedTigerJet } from '../../support/tigerjet'

const root = join(import.meta.dirname, '../../..')
const dongle = readDongle(join(root, 'test/fixtures/sysfs/tigerjet-bus-powered-500ma'), tigerjetTarget)
if (!dongle) throw new Error('fixture missing')
const behindHub = {
  ...dongle,
  id: '1-1.2',
  chain: [...dongle.chain, { id: '1-1', root: false, selfPowered: false, version: '2.00', ports: 4 }]
}

describe('the diagnostics report', () => {
  const observations = { ...emptyObservations(), dongles: [behindHub] }
  const report = buildReport(observations, diagnose(observations), {
    appVersion: '0.1.0',
    maskSerials: true,
    now: new Date('2026-11-20T10:00:00Z')
  })

  it('is versioned JSON that validates against its schema', () => {
    expect(report.schema).toBe(REPORT_SCHEMA)
    expect(reportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report)
    expect(report.health).toBe('problems')
  })

  it('masks the serial and holds no other personal data', () => {
    expect(report.observations.dongles[0]?.serial).toBe('DT-••••••01')
    expect(JSON.stringify(report)).not.toContain('DT-RIG-0001')
    expect(maskSerial(null)).toBeNull()
    expect(maskSerial('1234')).toBe('••••')
  })

  it('draws the topology with the dongle’s path and need vs budget', () => {
    expect(report.topology).toMatchObject([
      {
        id: 'usb1',
        kind: 'root-hub',
        power: 'self-powered',
        children: [
          {
            id: '1-1',
            kind: 'hub',
            power: 'bus-powered',
            children: [{ id: '1-1.2', kind: 'dongle', budgetMa: 100, needMa: 500 }]
          }
        ]
      }
    ])
  })

  it('prints verdicts first and raw evidence last, escaped', () => {
    const html = renderReportHtml({
      ...report,
      verdicts: report.verdicts.map((v) => ({ ...v, evidence: [...v.evidence, '<script>alert(1)</script>'] }))
    })
    const order = [
      '<h2>Verdicts</h2>',
      '<h2>USB topology</h2>',
      '<h2>Plug and unplug log</h2>',
      '<h2>Evidence</h2>'
    ].map((h) => html.indexOf(h))
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true)
    expect(html).toContain('This port cannot give the dongle enough power')
    expect(html).toContain('needs 500 mA · port gives 100 mA')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
  })
})

describe('the hotplug log', () => {
  it('keeps a day of events across restarts, and announces each one', () => {
    const store = memoryStore()
    let now = new Date('2026-11-20T10:00:00Z')
    const bus = new EventBus(silentLogger())
    const heard: unknown[] = []
    bus.subscribe((name, p) => name === 'diagnostics.event' && heard.push(p))
    const log = new HotplugLog(store, bus, () => now)
    log.record({ kind: 'attach', deviceId: '1-1', detail: null })
    now = new Date(now.getTime() + KEEP_MS - 1000)
    log.record({ kind: 'detach', deviceId: '1-1', detail: null })
    expect(heard).toHaveLength(2)
    const reopened = new HotplugLog(store, bus, () => now)
    expect(reopened.list().map((e) => e.kind)).toEqual(['attach', 'detach'])
    now = new Date(now.getTime() + 2000)
    expect(new HotplugLog(store, bus, () => now).list().map((e) => e.kind)).toEqual(['detach'])
  })

  it('keeps a device error’s problem code for the screen to word, and its text for support', () => {
    const bus = new EventBus(silentLogger())
    const log = new HotplugLog(memoryStore(), bus, () => new Date('2026-11-20T10:00:00Z'))
    log.follow()
    // A dongle the device layer could not open, as device.changed carries it.
    const record = newRecord('1-1', describeDevice(recordedTigerJet(1, [1])), findModel(0x06e6, 0xc200))
    record.state = 'error'
    record.problem = { code: 'OPEN_FAILED', message: 'Error: cannot open device /dev/hidraw3', fix: null }
    bus.emit('device.changed', {
      devices: [toDevice(record)],
      usb: [],
      hotplug: true,
      change: { kind: 'updated', id: '1-1' }
    })
    const [event] = log.list()
    expect(event).toMatchObject({
      kind: 'error',
      deviceId: '1-1',
      problem: 'OPEN_FAILED',
      detail: 'OPEN_FAILED: Error: cannot open device /dev/hidraw3'
    })
    expect(hotplugEventSchema.parse(event)).toEqual(event)
    // An event logged before the code was kept still reads.
    const before = {
      time: '2026-11-19T10:00:00.000Z',
      kind: 'error',
      deviceId: '1-1',
      detail: 'OPEN_FAILED: x'
    }
    expect(hotplugEventSchema.safeParse(before).success).toBe(true)
  })

  it('ignores a corrupt stored log instead of failing', () => {
    const store = memoryStore({ 'diagnostics.hotplug': [{ nonsense: true }, 'x'] })
    expect(new HotplugLog(store, new EventBus(silentLogger())).list()).toEqual([])
  })
})

describe('dialtone-diag', () => {
  const cli = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/main/diagnostics/cli.ts'), ...args],
      { cwd: root }
    ).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e
    )

  it('inspects this machine, writes both reports, and exits 0 when healthy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-'))
    const r = await cli('--json', join(dir, 'r.json'), '--html', join(dir, 'r.html'), '--data-dir', dir)
    const json = reportSchema.parse(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')))
    expect(r.code).toBe({ healthy: 0, problems: 1, 'not-inspected': 2 }[json.health])
    expect(r.stdout).toContain('Dialtone USB diagnostics (linux-sysfs')
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('<h1>Dialtone USB diagnostics</h1>')
  })

  it('with no dongle plugged in, says so and exits 1, not "Healthy."', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-'))
    const r = await cli('--json', join(dir, 'r.json'), '--data-dir', dir)
    const json = reportSchema.parse(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')))
    // This machine has no dongle (the test suites never plug a real one into it).
    if (json.verdicts.some((v) => v.code === 'NOT_FOUND')) {
      expect(r.code).toBe(1)
      expect(r.stdout).toContain('No dongle is plugged in')
      expect(r.stdout).not.toContain('Healthy.')
      expect(json.health).toBe('problems')
    }
    // And by the rules themselves, whatever this machine has: no dongle is a problem to report, not health.
    const none = emptyObservations()
    expect(buildReport(none, diagnose(none), { appVersion: '0', maskSerials: false }).health).toBe('problems')
  })

  it('refuses an unknown option with exit 64 and the usage', async () => {
    const r = await cli('--frobnicate')
    expect(r.code).toBe(64)
    expect(r.stderr).toContain('usage: dialtone-diag')
  })
})
