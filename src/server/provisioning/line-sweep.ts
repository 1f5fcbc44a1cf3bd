/**
 * The line sweeper (every 30 s, one process at a time: service.ts): what a line's state derives from changes by a
 * person's or an operator's action, which syncs the line there and then, except one input that changes with time
 * alone: coverage that includes now (provisioning/lines.ts). So each sweep re-derives the lines whose stored state
 * that input contradicts, found in one statement: in service without coverage now (it ran out: lapsed), lapsed with
 * coverage now, and pending with coverage now and everything else service needs (a number, a current E911 address;
 * a suspended line is `suspended`, not pending). A grant starts at the line's paid-through or now, so the last two
 * are rare; they are there so that no grant's start is missed.
 *
 * Beside them, a slice of the other open lines in id order, a cursor kept per database handle (wrapping at the
 * end): a line a crash or a defect left with a state that does not follow from its facts is re-derived within
 * lines / SLICE sweeps (100,000 lines: about four hours), and a database with fewer lines than a slice is swept
 * whole every time, as every sweep did before. Re-deriving every open line every 30 s cost 0.35 ms of the two
 * sides' CPU per pending line on PostgreSQL (400 lines: 801 statements, 400 transactions, 140 ms), which at
 * 100,000 lines would be longer than the interval and most of a core (docs/service.md).
 */
import { type ServiceContext, inTransaction } from '../context'
import { coveredAt, hasE911 } from './line-facts'
import { applySync, syncLine } from './lines'
import { eachItem } from '../job-items'

/** Open lines re-derived per sweep beside the time-driven ones. */
export const SWEEP_SLICE = 200

/** Where each database handle's slice got to (the last line id swept; '' from the start). */
const cursors = new WeakMap<ServiceContext['db'], string>()

/**
 * Open lines whose stored state the time contradicts (coverage ran out or began): three selects, one per state, so
 * that each is a plain join or anti-join on the live grants (an OR of the three made PostgreSQL probe the grants
 * once per line).
 */
async function timeDriven(ctx: ServiceContext): Promise<string[]> {
  const now = ctx.clock.now().toISOString()
  const db = ctx.db
  const rows = await db
    .selectFrom('lines')
    .select('lines.id')
    .where('lines.status', '=', 'in_service')
    .where((eb) => eb.not(coveredAt(eb, now)))
    .unionAll(
      db
        .selectFrom('lines')
        .select('lines.id')
        .where('lines.status', '=', 'lapsed')
        .where((eb) => coveredAt(eb, now))
    )
    .unionAll(
      db
        .selectFrom('lines')
        .select('lines.id')
        .where('lines.status', '=', 'pending')
        .where('lines.phone_number', 'is not', null)
        .where((eb) => eb.and([coveredAt(eb, now), hasE911(eb)]))
    )
    .execute()
  return rows.map((r) => r.id)
}

/** The next `slice` open lines after the handle's cursor, the cursor moved past them (or back to the start). */
async function nextSlice(ctx: ServiceContext, slice: number): Promise<string[]> {
  const after = cursors.get(ctx.db) ?? ''
  const rows = await ctx.db
    .selectFrom('lines')
    .select('id')
    .where('status', 'in', ['in_service', 'lapsed', 'pending'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(slice)
    .execute()
  cursors.set(ctx.db, rows.length < slice ? '' : (rows.at(-1)?.id ?? ''))
  return rows.map((r) => r.id)
}

/** One sweep: the lines time moved and a slice of the rest re-derived; how many changed state. */
export async function sweepLines(ctx: ServiceContext, options: { slice?: number } = {}): Promise<number> {
  const ids = new Set([...(await timeDriven(ctx)), ...(await nextSlice(ctx, options.slice ?? SWEEP_SLICE))])
  let changed = 0
  // Each line on its own (job-items.ts): one that throws does not hold back the others.
  await eachItem(
    ctx,
    'line-sweeper',
    ids,
    (id) => id,
    async (id) => {
      const result = await inTransaction(ctx, (tx) => syncLine(tx, id, { quiet: true }))
      await applySync(ctx, [result])
      if (result.moved) changed++
    }
  )
  return changed
}
