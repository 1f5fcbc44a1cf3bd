/**
 * Call accounting back from Kamailio into `call_records`, for usage and call details (the billing issue).
 * SQLite deployments: Kamailio 5.6 cannot share a SQLite file for writes without losing rows (no busy timeout),
 * so it writes db_flatstore files, one per process (`acc_<rank>.log`, `missed_calls_<rank>.log`), and this
 * importer reads each from the byte offset it reached last time, only whole lines, idempotently (a row's key is
 * file + offset). PostgreSQL deployments: Kamailio writes the `acc` / `missed_calls` tables itself and this
 * importer copies new rows by id. Field order (acc core, then db_extra): method|from_tag|to_tag|callid|
 * sip_code|sip_reason|time|src_user|dst_user|fwd_by|fwd_to|fwd_from, time in Unix seconds. The fwd_ fields are set only on
 * a call a line forwarded out to a carrier (forwarding.cfg): the leg that line pays for (migration 0026); files
 * written before them have nine fields.
 */
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ServiceContext } from '../context'
import type { CallRecordsTable } from '../db/schema'
import { newId } from '../secrets'

const FILE = /^(acc|missed_calls)_\d+\.log$/
const CHUNK = 1 << 20

/** A call_records row as read from Kamailio, before the importer gives it an id and a source key. */
type AccRow = Omit<CallRecordsTable, 'id' | 'source_key' | 'missed' | 'rated_at'>

/** Kamailio writes an unset AVP as nothing (flatstore) or NULL (PostgreSQL); only digits are a forwarded leg. */
function digitsOrNull(v: string | null | undefined): string | null {
  const t = (v ?? '').trim()
  return /^\d{3,15}$/.test(t) ? t : null
}

/** The forwarded call's caller: digits, '' when withheld (anything else), NULL when the field is not there. */
function callerOrNull(v: string | null | undefined): string | null {
  if (v === undefined || v === null || v.trim() === '') return null
  return /^\d{3,15}$/.test(v.trim()) ? v.trim() : ''
}

export function parseFlatstoreLine(line: string): AccRow | null {
  const f = line.split('|')
  if (f.length < 7) return null
  const seconds = Number(f[6])
  if (!Number.isFinite(seconds) || seconds <= 0) return null
  return {
    method: f[0] ?? '',
    from_tag: f[1] ?? '',
    to_tag: f[2] ?? '',
    call_id: f[3] ?? '',
    sip_code: f[4] ?? '',
    sip_reason: f[5] ?? '',
    at: new Date(seconds * 1000).toISOString(),
    src_user: f[7] ?? '',
    dst_user: f[8] ?? '',
    fwd_by: digitsOrNull(f[9]),
    fwd_to: digitsOrNull(f[10]),
    fwd_from: callerOrNull(f[11])
  }
}

async function insertRecord(
  ctx: ServiceContext,
  sourceKey: string,
  row: AccRow,
  missed: boolean
): Promise<void> {
  await ctx.db
    .insertInto('call_records')
    .values({ id: newId('cdr'), source_key: sourceKey, ...row, missed: missed ? 1 : 0 })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .execute()
}

/** Import whatever Kamailio appended since last time; returns the number of rows read. */
export async function importFlatstore(ctx: ServiceContext, dir: string): Promise<number> {
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => FILE.test(f))
  } catch {
    return 0
  }
  let imported = 0
  for (const file of files.sort()) {
    const path = join(dir, file)
    const state = await ctx.db
      .selectFrom('acc_import_state')
      .select('offset')
      .where('file', '=', file)
      .executeTakeFirst()
    let offset = Number(state?.offset ?? 0)
    const size = statSync(path).size
    if (size < offset) offset = 0 // rotated (flatstore.k_rotate): a new file under the same name
    if (size === offset) continue
    const fd = openSync(path, 'r')
    try {
      while (offset < size) {
        const buf = Buffer.alloc(Math.min(CHUNK, size - offset))
        const n = readSync(fd, buf, 0, buf.length, offset)
        const text = buf.subarray(0, n).toString('utf8')
        const end = text.lastIndexOf('\n')
        if (end < 0) break // a line still being written: next time
        const whole = text.slice(0, end + 1)
        await ctx.db.transaction().execute(async (trx) => {
          const tx = { ...ctx, db: trx }
          let at = offset
          for (const line of whole.split('\n')) {
            const bytes = Buffer.byteLength(line) + 1
            const row = line ? parseFlatstoreLine(line) : null
            if (row) {
              await insertRecord(tx, `${file}:${at}`, row, file.startsWith('missed_calls'))
              imported++
            }
            at += bytes
          }
          await trx
            .insertInto('acc_import_state')
            .values({ file, offset: offset + Buffer.byteLength(whole) })
            .onConflict((oc) => oc.column('file').doUpdateSet({ offset: offset + Buffer.byteLength(whole) }))
            .execute()
        })
        offset += Buffer.byteLength(whole)
      }
    } finally {
      closeSync(fd)
    }
  }
  return imported
}

/** PostgreSQL: copy new acc / missed_calls rows (Kamailio writes them with TZ=UTC). */
export async function importPostgresAcc(ctx: ServiceContext): Promise<number> {
  let imported = 0
  for (const table of ['acc', 'missed_calls'] as const) {
    const key = `pg:${table}`
    const state = await ctx.db
      .selectFrom('acc_import_state')
      .select('offset')
      .where('file', '=', key)
      .executeTakeFirst()
    const after = Number(state?.offset ?? 0)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- acc/missed_calls exist only on PostgreSQL
    const db = ctx.db as any
    const rows: {
      id: number
      method: string
      from_tag: string
      to_tag: string
      callid: string
      sip_code: string
      sip_reason: string
      time: Date | string
      src_user: string
      dst_user: string
      fwd_by: string | null
      fwd_to: string | null
      fwd_from: string | null
    }[] = await db.selectFrom(table).selectAll().where('id', '>', after).orderBy('id').limit(5000).execute()
    if (rows.length === 0) continue
    await ctx.db.transaction().execute(async (trx) => {
      const tx = { ...ctx, db: trx }
      for (const r of rows) {
        const time =
          typeof r.time === 'string'
            ? new Date(`${r.time.replace(' ', 'T')}Z`)
            : new Date(r.time.getTime() - r.time.getTimezoneOffset() * 60_000)
        await insertRecord(
          tx,
          `${key}:${r.id}`,
          {
            method: r.method,
            from_tag: r.from_tag,
            to_tag: r.to_tag,
            call_id: r.callid,
            sip_code: r.sip_code,
            sip_reason: r.sip_reason,
            at: time.toISOString(),
            src_user: r.src_user,
            dst_user: r.dst_user,
            fwd_by: digitsOrNull(r.fwd_by),
            fwd_to: digitsOrNull(r.fwd_to),
            fwd_from: callerOrNull(r.fwd_from)
          },
          table === 'missed_calls'
        )
        imported++
      }
      const last = rows[rows.length - 1]?.id ?? after
      await trx
        .insertInto('acc_import_state')
        .values({ file: key, offset: last })
        .onConflict((oc) => oc.column('file').doUpdateSet({ offset: last }))
        .execute()
    })
  }
  return imported
}
