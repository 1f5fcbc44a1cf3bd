/** The Diagnostics page's service: inspect, judge, report, export, and the plug/unplug log. */
import type { Observations } from '../../shared/diagnostics/observations'
import { buildReport, renderReportHtml, type DiagnosticsReport } from '../../shared/diagnostics/report'
import { diagnose } from '../../shared/diagnostics/rules'
import type { HotplugLog } from './hotplug-log'
import { inspect, type InspectPorts } from './inspect'
import { readDongle } from './linux/sysfs'

/**
 * The virtual dongle, inspected from the sysfs tree the real kernel showed for the TigerJet profile in the rig
 * (resources/virtual/sysfs), so the Diagnostics page works end to end without hardware. Marked virtual.
 */
export function withVirtualDongle(obs: Observations, sysfsRoot: string): Observations {
  const d = readDongle(sysfsRoot, {
    id: '1-1',
    vendorId: 0x06e6,
    productId: 0xc200,
    name: 'magicJack USB phone line',
    serial: 'VIRTUAL',
    needMa: 500,
    permission: 'ok'
  })
  return d ? { ...obs, dongles: [...obs.dongles, { ...d, id: 'virtual' }] } : obs
}

export class DiagnosticsService {
  constructor(
    private readonly ports: Omit<InspectPorts, 'events'>,
    private readonly log: HotplugLog,
    private readonly appVersion: string,
    private readonly virtual: { enabled: () => boolean; sysfsRoot: string }
  ) {}

  async report(maskSerials: boolean): Promise<DiagnosticsReport> {
    const real = await inspect({ ...this.ports, events: () => this.log.list() })
    const observations =
      this.virtual.enabled() && real.inspected ? withVirtualDongle(real, this.virtual.sysfsRoot) : real
    return buildReport(observations, diagnose(observations), { appVersion: this.appVersion, maskSerials })
  }

  async export(
    format: 'json' | 'html',
    maskSerials: boolean
  ): Promise<{ fileName: string; mimeType: string; content: string }> {
    const report = await this.report(maskSerials)
    const stamp = report.createdAt.replace(/[:.]/g, '-')
    return format === 'json'
      ? {
          fileName: `dialtone-usb-${stamp}.json`,
          mimeType: 'application/json',
          content: JSON.stringify(report, null, 2)
        }
      : { fileName: `dialtone-usb-${stamp}.html`, mimeType: 'text/html', content: renderReportHtml(report) }
  }
}
