/** The Diagnostics page's service: inspect, judge, report, export, and the plug/unplug log. */
import { buildReport, renderReportHtml, type DiagnosticsReport } from '../../shared/diagnostics/report'
import { diagnose } from '../../shared/diagnostics/rules'
import type { HotplugLog } from './hotplug-log'
import { inspect, type InspectPorts } from './inspect'

export class DiagnosticsService {
  constructor(
    private readonly ports: Omit<InspectPorts, 'events'>,
    private readonly log: HotplugLog,
    private readonly appVersion: string
  ) {}

  async report(maskSerials: boolean): Promise<DiagnosticsReport> {
    const observations = await inspect({ ...this.ports, events: () => this.log.list() })
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
