/**
 * The manufacturing registry from the operators' side: a factory batch arrives as CSV (header
 * `model,serial,public_key`, one dongle a line) and goes in whole or not at all through importBatch
 * (src/server/devices/registry.ts), with every problem reported by the file's line number. A serial's history is
 * ./registry-history.ts; revoking keys and accepting proofs of purchase, ./registry-actions.ts.
 */
import type { WireIssue } from '../../shared/api/issues'
import type { ServiceContext } from '../context'
import { ServiceError } from '../http/errors'
import { importBatch } from '../devices/registry'

const HEADER = ['model', 'serial', 'public_key']

/** The CSV's rows as registry entries, each with its line number; problems of shape are reported per line. */
export function parseRegistryCsv(csv: string): {
  entries: { model: string; serial: string; publicKey: string }[]
  lines: number[]
  issues: WireIssue[]
} {
  const issues: WireIssue[] = []
  const entries: { model: string; serial: string; publicKey: string }[] = []
  const lines: number[] = []
  const text = csv.replace(/^\uFEFF/, '')
  const all = text.split(/\r?\n/)
  const header = (all[0] ?? '').split(',').map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/^publickey$/, 'public_key')
  )
  if (header.join(',') !== HEADER.join(','))
    issues.push({
      path: 'csv:1',
      code: 'bad-header',
      message: `the first line must be the header ${HEADER.join(',')}`
    })
  all.slice(1).forEach((raw, i) => {
    const line = i + 2
    if (raw.trim() === '') return
    if (raw.includes('"')) {
      issues.push({
        path: `csv:${line}`,
        code: 'bad-row',
        message: 'quotes are not expected in a registry row'
      })
      return
    }
    const cells = raw.split(',').map((c) => c.trim())
    if (cells.length !== HEADER.length) {
      issues.push({
        path: `csv:${line}`,
        code: 'bad-row',
        message: `expected ${HEADER.length} values (${HEADER.join(', ')}), found ${cells.length}`
      })
      return
    }
    const [model = '', serial = '', publicKey = ''] = cells
    entries.push({ model, serial, publicKey })
    lines.push(line)
  })
  if (issues.length === 0 && entries.length === 0)
    issues.push({ path: 'csv', code: 'empty', message: 'the file has no dongles after its header' })
  return { entries, lines, issues }
}

const FIELD: Record<string, string> = { publicKey: 'public_key' }

/** Imports the CSV as one batch; refuses the whole file, naming every bad line, when any line is bad. */
export async function importRegistryCsv(
  ctx: ServiceContext,
  batch: string,
  csv: string
): Promise<{ batch: string; added: number }> {
  const { entries, lines, issues } = parseRegistryCsv(csv)
  const refuse = (all: WireIssue[]) =>
    new ServiceError('invalid-input', `nothing was imported: ${all.length} problem(s) in the file`, {
      issues: all,
      reason: 'registry-csv-invalid'
    })
  if (issues.length > 0) throw refuse(issues)
  try {
    const { added } = await importBatch(ctx, batch, entries)
    return { batch, added }
  } catch (err) {
    if (!(err instanceof ServiceError) || err.reason !== 'registry-batch-invalid') throw err
    // importBatch names entries by index: give each problem the file's line instead.
    throw refuse(
      err.issues.map((issue) => {
        const m = /^entries\[(\d+)\](?:\.(\w+))?/.exec(issue.path)
        if (!m) return issue
        const field = m[2] ? `.${FIELD[m[2]] ?? m[2]}` : ''
        return { ...issue, path: `csv:${lines[Number(m[1])] ?? '?'}${field}` }
      })
    )
  }
}
