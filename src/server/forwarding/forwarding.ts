/**
 * Call forwarding rules of a line (issue 23), kept by the service and enforced by Kamailio through the view
 * `kamailio_forwarding` (migration 0020; resources/kamailio/forwarding.cfg), so they hold with the app off.
 *
 * Only the line's owner reads or changes them (ownLine: another account's line is "not found"). Targets are numbers
 * in the US, its territories or Canada in E.164 (another NANP country such as Jamaica is abroad, forward-not-nanp;
 * premium rate 900 is never a target, forward-premium: numbers/nanp-zones.ts); the line's own number is refused, and so is any rule that would bring a call back to
 * this line through other Dialtone lines' rules (any condition counts: busy on one and always on another can
 * still loop). Kamailio bounds what the service cannot see (a loop through a carrier, two changes racing) by the
 * count of Diversion headers.
 */
import type { ForwardingRules, ForwardingView } from '../../shared/api/forwarding'
import { FORWARDING_RINGS } from '../../shared/api/forwarding'
import { normalizeNanp, whyNotNanp } from '../../shared/numbers/nanp'
import { type ServiceContext, inTransaction } from '../context'
import { invalid } from '../http/errors'
import { nanpArea } from '../numbers/nanp-zones'
import { ownLine } from '../numbers/own-line'

type Row = {
  always_to: string | null
  busy_to: string | null
  no_answer_to: string | null
  no_answer_rings: number
  unavailable_to: string | null
  updated_at: string | null
}

const COLUMN = {
  always: 'always_to',
  busy: 'busy_to',
  noAnswer: 'no_answer_to',
  unavailable: 'unavailable_to'
} as const

/** How deep the loop check follows other lines' rules (more lines than any account chain reasonably has). */
const MAX_HOPS = 32

const empty: Row = {
  always_to: null,
  busy_to: null,
  no_answer_to: null,
  no_answer_rings: FORWARDING_RINGS.default,
  unavailable_to: null,
  updated_at: null
}

function view(row: Row, lineNumber: string | null): ForwardingView {
  return {
    always: row.always_to,
    busy: row.busy_to,
    noAnswer: row.no_answer_to,
    noAnswerRings: row.no_answer_rings,
    unavailable: row.unavailable_to,
    lineNumber,
    updatedAt: row.updated_at
  }
}

const targetsOf = (row: Row): string[] =>
  [row.always_to, row.busy_to, row.no_answer_to, row.unavailable_to].filter((t): t is string => t !== null)

async function readRow(ctx: ServiceContext, lineId: string): Promise<Row> {
  const row = await ctx.db
    .selectFrom('line_forwarding')
    .select(['always_to', 'busy_to', 'no_answer_to', 'no_answer_rings', 'unavailable_to', 'updated_at'])
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  return row ?? empty
}

export async function getForwarding(ctx: ServiceContext, accountId: string, lineId: string) {
  const line = await ownLine(ctx, accountId, lineId)
  return view(await readRow(ctx, lineId), line.phone_number)
}

/**
 * The Dialtone line a chain of rules starting at `targets` reaches that is `home`, or null. Follows every rule of
 * every Dialtone line met (breadth first, each number once), across accounts: a loop is a loop whoever owns it.
 */
async function loopBack(ctx: ServiceContext, home: string, targets: string[]): Promise<string | null> {
  const seen = new Set<string>()
  let frontier = targets.map((t) => ({ number: t, via: t }))
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const fresh = frontier.filter((f) => !seen.has(f.number))
    for (const f of fresh) seen.add(f.number)
    if (fresh.length === 0) break
    const rows = await ctx.db
      .selectFrom('lines as l')
      .innerJoin('line_forwarding as f', 'f.line_id', 'l.id')
      .select(['l.phone_number', 'f.always_to', 'f.busy_to', 'f.no_answer_to', 'f.unavailable_to'])
      .where(
        'l.phone_number',
        'in',
        fresh.map((f) => f.number)
      )
      .where('l.status', '!=', 'closed')
      .execute()
    const next: { number: string; via: string }[] = []
    for (const r of rows) {
      const via = fresh.find((f) => f.number === r.phone_number)?.via ?? r.phone_number ?? ''
      for (const t of targetsOf({ ...empty, ...r })) {
        if (t === home) return via
        next.push({ number: t, via })
      }
    }
    frontier = next
  }
  return null
}

/** Changes the rules given (the others stay); bad input changes nothing. */
export async function setForwarding(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  change: Partial<ForwardingRules>
) {
  return inTransaction(ctx, async (tx) => {
    const line = await ownLine(tx, accountId, lineId)
    const row: Row = { ...(await readRow(tx, lineId)) }
    for (const key of Object.keys(COLUMN) as (keyof typeof COLUMN)[]) {
      const raw = change[key]
      if (raw === undefined) continue
      if (raw === null || raw.trim() === '') {
        row[COLUMN[key]] = null
        continue
      }
      const number = normalizeNanp(raw)
      if (!number)
        throw whyNotNanp(raw) === 'incomplete'
          ? invalid(
              key,
              'the number is incomplete: a US or Canadian number has 10 digits',
              'forward-incomplete'
            )
          : invalid(key, 'forwarding goes to a number in the US or Canada', 'forward-not-nanp')
      const zone = nanpArea(number.slice(1))?.zone
      if (zone === 'premium')
        throw invalid(key, 'forwarding never goes to a premium-rate number', 'forward-premium')
      if (zone !== 'included')
        throw invalid(
          key,
          'forwarding goes to a number in the US, its territories or Canada',
          'forward-not-nanp'
        )
      if (number === line.phone_number)
        throw invalid(key, 'a line cannot forward to its own number', 'forward-to-self')
      row[COLUMN[key]] = number
    }
    if (change.noAnswerRings !== undefined) row.no_answer_rings = change.noAnswerRings
    if (line.phone_number) {
      const loop = await loopBack(tx, line.phone_number, targetsOf(row))
      if (loop) {
        const field =
          (Object.keys(COLUMN) as (keyof typeof COLUMN)[]).find((k) => row[COLUMN[k]] === loop) ?? 'always'
        throw invalid(field, `forwarding to ${loop} would bring calls back to this line`, 'forward-loop', {
          number: loop
        })
      }
    }
    const now = tx.clock.now().toISOString()
    const values = {
      always_to: row.always_to,
      busy_to: row.busy_to,
      no_answer_to: row.no_answer_to,
      no_answer_rings: row.no_answer_rings,
      unavailable_to: row.unavailable_to,
      updated_at: now
    }
    await tx.db
      .insertInto('line_forwarding')
      .values({ line_id: lineId, ...values })
      .onConflict((oc) => oc.column('line_id').doUpdateSet(values))
      .execute()
    await tx.audit.record('forwarding.changed', {
      accountId,
      detail: { line: lineId, rules: Object.keys(change).join(',') }
    })
    return view({ ...row, updated_at: now }, line.phone_number)
  })
}
