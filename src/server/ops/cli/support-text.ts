/**
 * `dialtone-ops support show` in words: the conversation, then the attached diagnostics report as an operator
 * reads it (health, each verdict with its cause, fix and evidence, the USB tree with need vs budget). Everything
 * here came from a person's computer: control characters (terminal escapes) are shown as \u{..}, never sent.
 */
import type { z } from 'zod'
import type { opsSupportDetail } from '../../../shared/ops/routes-support'
import type { TopologyNode } from '../../../shared/diagnostics/report'
import { record } from './table'

type Detail = z.infer<typeof opsSupportDetail>

/** A line for the terminal: no escape sequences or other control characters from the outside. */
export const safe = (s: string): string =>
  s.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) =>
    c === '\n' ? '\n' : `\\u{${c.codePointAt(0)?.toString(16) ?? ''}}`
  )

function tree(nodes: readonly TopologyNode[], depth: number, out: string[]): void {
  for (const n of nodes) {
    const power = [
      n.power,
      n.needMa !== null ? `needs ${n.needMa} mA` : null,
      n.budgetMa !== null ? `port gives ${n.budgetMa} mA` : null
    ]
      .filter(Boolean)
      .join(', ')
    out.push(
      `${'  '.repeat(depth)}${n.onDonglePath ? '*' : '-'} ${safe(n.label)}${power ? ` (${safe(power)})` : ''}`
    )
    tree(n.children, depth + 1, out)
  }
}

export function supportDetailText(d: Detail): string {
  const out: string[] = [record({ ...d.request }).trimEnd(), '', 'Conversation:']
  for (const m of d.messages) {
    out.push(`  [${m.at}] ${m.from === 'person' ? 'person' : 'support'}:`)
    for (const l of safe(m.text).split('\n')) out.push(`    ${l}`)
  }
  const r = d.diagnostics
  out.push('')
  if (!r) {
    out.push('Diagnostics report: none attached.')
    return out.join('\n') + '\n'
  }
  out.push(
    `Diagnostics report (${safe(r.schema)}, app ${safe(r.appVersion)}, ${safe(r.platform)}/${safe(r.collector)}, made ${safe(r.createdAt)}): ${r.health}`
  )
  if (r.verdicts.length === 0) out.push('  no verdicts')
  for (const v of r.verdicts) {
    out.push(`  [${v.severity}] ${safe(v.title)}${v.deviceId ? ` (${safe(v.deviceId)})` : ''}`)
    out.push(`    cause: ${safe(v.cause)}`)
    out.push(`    fix:   ${safe(v.fix)}`)
    for (const e of v.evidence) out.push(`    - ${safe(e)}`)
  }
  out.push('  USB tree (* = on the dongle’s path):')
  const lines: string[] = []
  tree(r.topology, 2, lines)
  out.push(...(lines.length ? lines : ['    (empty)']))
  if (r.events.length) {
    out.push('  Plug/unplug log:')
    for (const e of r.events.slice(-20))
      out.push(`    ${safe(e.time)} ${e.kind} ${safe(e.deviceId)} ${safe(e.detail ?? '')}`)
  }
  return out.join('\n') + '\n'
}
