/**
 * The manufacturing registry from the operators' side: a factory batch arrives as CSV (header
 * `model,serial,public_key`, one dongle a line) and goes in whole or not at all through importBatch
 * (src/server/devices/registry.ts), with every problem reported by the file's line number; and a serial's history,
 * gathered from what the service records: made (registry), shipped to a partner (registry-shipments.ts), sold
 * online (web-shop order), activated (each line
 * opened on it, with its account), transferred (completed transfers), closed lines, released.
 */
import type { WireIssue } from '../../shared/api/issues'
import type { ServiceContext } from '../context'
import { ServiceError, notFound } from '../http/errors'
import { findRegistryEntry, importBatch } from '../devices/registry'

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

export interface HistoryEvent {
  at: string
  event: string
  detail: string
}

export async function serialHistory(ctx: ServiceContext, serial: string) {
  const entry = await findRegistryEntry(ctx, serial)
  if (!entry) throw notFound('serial-unknown', `the serial ${serial} in the manufacturing registry`)
  const history: HistoryEvent[] = [
    { at: entry.created_at, event: 'made', detail: `factory batch ${entry.batch}, model ${entry.model}` }
  ]
  const shipment = await ctx.db
    .selectFrom('device_shipments')
    .innerJoin('partners', 'partners.id', 'device_shipments.partner_id')
    .select(['device_shipments.shipped_at', 'partners.name', 'partners.kind'])
    .where('device_shipments.serial', '=', serial)
    .executeTakeFirst()
  if (shipment)
    history.push({
      at: shipment.shipped_at,
      event: 'shipped',
      detail: `to ${shipment.kind} partner ${shipment.name}`
    })
  const orders = await ctx.db.selectFrom('orders').selectAll().where('serial', '=', serial).execute()
  for (const o of orders)
    history.push({ at: o.created_at, event: 'sold', detail: `web-shop order ${o.number}` })
  const device = await ctx.db
    .selectFrom('devices')
    .selectAll()
    .where('serial', '=', serial)
    .executeTakeFirst()
  if (device) {
    const lines = await ctx.db.selectFrom('lines').selectAll().where('device_id', '=', device.id).execute()
    for (const l of lines) {
      history.push({
        at: l.created_at,
        event: 'activated',
        detail: `line ${l.id} on account ${l.account_id}${device.purchase_channel ? ` (${device.purchase_channel})` : ''}`
      })
      if (l.closed_at) history.push({ at: l.closed_at, event: 'line-closed', detail: `line ${l.id}` })
    }
    const transfers = await ctx.db
      .selectFrom('device_transfers')
      .selectAll()
      .where('device_id', '=', device.id)
      .where('status', '=', 'completed')
      .execute()
    for (const t of transfers)
      history.push({
        at: t.decided_at ?? t.created_at,
        event: 'transferred',
        detail: `from account ${t.from_account_id} to ${t.to_account_id}`
      })
  }
  if (entry.revoked_at)
    history.push({ at: entry.revoked_at, event: 'key-revoked', detail: 'factory key revoked' })
  history.sort((a, b) => a.at.localeCompare(b.at))
  return {
    serial: entry.serial,
    model: entry.model,
    batch: entry.batch,
    revokedAt: entry.revoked_at,
    history
  }
}
