#!/usr/bin/env node
/**
 * dialtone-diag: the Diagnostics page on the command line, without Electron. Prints the verdicts with their
 * fix, writes the same JSON and HTML reports as the app, and exits 0 when healthy, 1 when there are problems,
 * 2 when the ports could not be inspected (64 for a wrong option).
 *   dialtone-diag [--json FILE] [--html FILE] [--mask-serial] [--data-dir DIR]
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { version } from '../../../package.json'
import { buildReport, renderReportHtml } from '../../shared/diagnostics/report'
import { diagnose } from '../../shared/diagnostics/rules'
import type { HotplugEvent } from '../../shared/diagnostics/observations'
import { createNodeHidPort } from '../device/hid-nodehid'
import { hidSystemFor } from '../device/hid-system'
import { createLibusbPort } from '../device/usb-libusb'
import { EventBus } from '../ipc/event-bus'
import { silentLogger } from '../log/logger'
import { defaultDataDir } from '../paths'
import { createConfStore } from '../store/conf-store'
import { runCommand } from './command-runner'
import { HotplugLog } from './hotplug-log'
import { inspect } from './inspect'

const EXIT = { healthy: 0, problems: 1, 'not-inspected': 2 } as const
const USAGE = 'usage: dialtone-diag [--json FILE] [--html FILE] [--mask-serial] [--data-dir DIR]'

let values: { json?: string; html?: string; 'mask-serial'?: boolean; 'data-dir'?: string; help?: boolean }
try {
  ;({ values } = parseArgs({
    options: {
      json: { type: 'string' },
      html: { type: 'string' },
      'mask-serial': { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  }))
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`)
  process.exit(64)
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}

/** The app's own plug/unplug log, when the app has run on this machine (read only). */
function appEvents(): HotplugEvent[] {
  const dir = values['data-dir'] ?? defaultDataDir()
  if (!existsSync(join(dir, 'settings.json'))) return []
  return new HotplugLog(createConfStore(dir), new EventBus(silentLogger())).list()
}

const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s)
const MARK = {
  problem: paint('31', '✖'),
  warning: paint('33', '!'),
  info: paint('34', 'i'),
  ok: paint('32', '✔')
}

const observations = await inspect({
  platform: process.platform,
  usb: createLibusbPort(),
  hid: createNodeHidPort(),
  hidSystem: hidSystemFor(process.platform),
  run: runCommand,
  events: appEvents
})
const verdicts = diagnose(observations)
const report = buildReport(observations, verdicts, {
  appVersion: version,
  maskSerials: values['mask-serial'] === true
})

const out: string[] = [`Dialtone USB diagnostics (${report.collector}, ${report.createdAt})`, '']
for (const v of verdicts) {
  out.push(`${MARK[v.severity]} ${v.title}${v.deviceId ? ` [${v.deviceId}]` : ''}`)
  out.push(`  Why: ${v.cause}`)
  out.push(`  Fix: ${v.fix}`)
  for (const e of v.evidence) out.push(`    · ${e}`)
  out.push('')
}
out.push(
  report.health === 'healthy'
    ? paint('32', 'Healthy.')
    : report.health === 'problems'
      ? paint('31', 'Problems found.')
      : paint('31', 'Could not inspect.')
)
process.stdout.write(`${out.join('\n')}\n`)
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2))
if (values.html) writeFileSync(values.html, renderReportHtml(report))
process.exit(EXIT[report.health])
