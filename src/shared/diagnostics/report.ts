/**
 * The diagnostics report: one versioned JSON document (the app's export, the CLI's --json) from which the
 * printable HTML is drawn. Verdicts first, the USB topology with the dongle's path, need vs budget per port,
 * raw evidence last. Personal data: only the device serial, which can be masked.
 */
import type { DongleObservation, HotplugEvent, Observations } from './observations'
import { portBudgetMa } from './power'
import { overallHealth, type Health, type Verdict } from './verdicts'

export const REPORT_SCHEMA = 'dialtone.diagnostics/1'

/**
 * One node of the USB tree. `label` and `power` are the printable report's English (the CLI's too); the app words
 * the node from the structured fields beside them. Those are optional because reports made before they existed
 * (attached to support requests, schema dialtone.diagnostics/1) lack them.
 */
export interface TopologyNode {
  id: string
  kind: 'root-hub' | 'hub' | 'dongle'
  label: string
  /** Hubs: 'self-powered' / 'bus-powered' / null; dongles: their declared need. */
  power: string | null
  /** Hubs: the USB version the hub speaks ('2.00'), null when not known. */
  usbVersion?: string | null
  /** Where the node's power comes from: its own supply, the bus, or not known. */
  powerSource?: 'self' | 'bus' | null
  /** Dongles: the product's name and the current it declares (bMaxPower, mA). */
  name?: string
  declaredMa?: number | null
  /** For a dongle: what its port gives, and what it needs. */
  budgetMa: number | null
  needMa: number | null
  onDonglePath: boolean
  children: TopologyNode[]
}

export interface DiagnosticsReport {
  schema: typeof REPORT_SCHEMA
  createdAt: string
  appVersion: string
  platform: Observations['platform']
  collector: Observations['collector']
  health: Health
  verdicts: Verdict[]
  topology: TopologyNode[]
  observations: Observations
  events: HotplugEvent[]
}

/** 'DT-RIG-0001' -> 'DT-•••••-01': enough to tell two dongles apart, not enough to identify one. */
export function maskSerial(serial: string | null): string | null {
  if (serial === null || serial.length <= 4) return serial === null ? null : '••••'
  return `${serial.slice(0, 3)}${'•'.repeat(serial.length - 5)}${serial.slice(-2)}`
}

type PowerSource = NonNullable<TopologyNode['powerSource']>

/** The printable report's words for a hub's power source. */
const powerText = (source: PowerSource | null): string | null =>
  source === 'self' ? 'self-powered' : source === 'bus' ? 'bus-powered' : null

function topology(dongles: readonly DongleObservation[]): TopologyNode[] {
  const roots: TopologyNode[] = []
  const find = (list: TopologyNode[], id: string): TopologyNode | undefined => list.find((n) => n.id === id)
  for (const d of dongles) {
    let level = roots
    for (const hub of d.chain) {
      let node = find(level, hub.id)
      if (!node) {
        const source: PowerSource | null =
          hub.root || hub.selfPowered ? 'self' : hub.selfPowered === false ? 'bus' : null
        node = {
          id: hub.id,
          kind: hub.root ? 'root-hub' : 'hub',
          label: hub.root ? `Root hub ${hub.id} (USB ${hub.version ?? '?'})` : `Hub ${hub.id}`,
          power: powerText(source),
          usbVersion: hub.version,
          powerSource: source,
          budgetMa: null,
          needMa: null,
          onDonglePath: true,
          children: []
        }
        level.push(node)
      }
      level = node.children
    }
    level.push({
      id: d.id,
      kind: 'dongle',
      label: `${d.name} (${d.id})`,
      power: d.selfPowered ? 'self-powered' : d.declaredMa !== null ? `${d.declaredMa} mA` : null,
      name: d.name,
      declaredMa: d.declaredMa,
      powerSource: d.selfPowered ? 'self' : d.selfPowered === false ? 'bus' : null,
      budgetMa: portBudgetMa(d.chain.at(-1)),
      needMa: Math.max(d.declaredMa ?? 0, d.needMa ?? 0) || null,
      onDonglePath: true,
      children: []
    })
  }
  return roots
}

export function buildReport(
  observations: Observations,
  verdicts: Verdict[],
  options: { appVersion: string; maskSerials: boolean; now?: Date }
): DiagnosticsReport {
  const obs: Observations = options.maskSerials
    ? { ...observations, dongles: observations.dongles.map((d) => ({ ...d, serial: maskSerial(d.serial) })) }
    : observations
  return {
    schema: REPORT_SCHEMA,
    createdAt: (options.now ?? new Date()).toISOString(),
    appVersion: options.appVersion,
    platform: obs.platform,
    collector: obs.collector,
    health: overallHealth(verdicts),
    verdicts,
    topology: topology(obs.dongles),
    observations: obs,
    events: obs.events
  }
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function treeHtml(nodes: readonly TopologyNode[]): string {
  if (nodes.length === 0) return ''
  return `<ul>${nodes
    .map((n) => {
      const budget =
        n.kind === 'dongle' && n.budgetMa !== null
          ? ` <span class="budget${n.needMa !== null && n.needMa > n.budgetMa ? ' over' : ''}">needs ${n.needMa ?? '?'} mA · port gives ${n.budgetMa} mA</span>`
          : ''
      return `<li class="${n.kind}${n.onDonglePath ? ' path' : ''}"><span class="node">${esc(n.label)}</span>${n.power ? ` <span class="power">${esc(n.power)}</span>` : ''}${budget}${treeHtml(n.children)}</li>`
    })
    .join('')}</ul>`
}

const HEALTH_TEXT: Record<Health, string> = {
  healthy: 'Healthy: nothing to fix',
  problems: 'Problems found',
  'not-inspected': 'Could not inspect'
}

/** A self-contained printable page (inline CSS, no script). */
export function renderReportHtml(r: DiagnosticsReport): string {
  const verdicts = r.verdicts
    .map(
      (v) => `<section class="verdict ${v.severity}"><h3>${esc(v.title)}</h3>
<p><strong>Why:</strong> ${esc(v.cause)}</p><p><strong>Fix:</strong> ${esc(v.fix)}</p>
<p class="meta">${esc(v.code)}${v.deviceId ? ` · ${esc(v.deviceId)}` : ''}</p></section>`
    )
    .join('\n')
  const evidence = r.verdicts
    .filter((v) => v.evidence.length > 0)
    .map(
      (v) =>
        `<h3>${esc(v.code)}${v.deviceId ? ` (${esc(v.deviceId)})` : ''}</h3><pre>${esc(v.evidence.join('\n'))}</pre>`
    )
    .join('\n')
  const events = r.events.length
    ? `<pre>${esc(r.events.map((e) => `${e.time} ${e.kind} ${e.deviceId}${e.detail ? ` ${e.detail}` : ''}`).join('\n'))}</pre>`
    : '<p>No plug or unplug recorded.</p>'
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dialtone USB diagnostics</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;max-width:860px;margin:24px auto;color:#16191d}
h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}
.verdict{border-left:6px solid #888;padding:4px 12px;margin:10px 0}.verdict h3{margin:4px 0}
.problem{border-color:#cf222e}.warning{border-color:#9a6700}.info{border-color:#1f6feb}.ok{border-color:#1a7f37}
.meta{color:#5b636e;font-size:12px}ul{list-style:none;padding-left:20px;border-left:1px dashed #bbb}
li.path>.node{font-weight:700}li.dongle>.node{color:#1f6feb}.power,.budget{color:#5b636e;font-size:12px}
.budget.over{color:#cf222e;font-weight:700}pre{background:#f6f7f9;padding:8px;white-space:pre-wrap;font-size:12px}
@media print{body{margin:0}}
</style></head><body>
<h1>Dialtone USB diagnostics</h1>
<p><strong>${esc(HEALTH_TEXT[r.health])}</strong> · ${esc(r.createdAt)} · ${esc(r.platform)} (${esc(r.collector)}) · Dialtone ${esc(r.appVersion)} · report schema ${esc(r.schema)}</p>
<h2>Verdicts</h2>
${verdicts}
<h2>USB topology</h2>
${treeHtml(r.topology) || '<p>No dongle on the bus.</p>'}
<h2>Plug and unplug log</h2>
${events}
<h2>Evidence</h2>
${evidence || '<p>None.</p>'}
</body></html>
`
}
