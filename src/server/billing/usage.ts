/**
 * Usage: call records imported from Kamailio's accounting are rated into usage. An answered outgoing call is its
 * INVITE 200 row and its BYE row (same Call-ID and tags, after the answer); the length is the time between them (no
 * BYE: MAX_CALL_SECONDS, the length at which Kamailio ends a call). A call a line forwarded out
 * to a carrier is also that line's outgoing leg (the row's fwd_by / fwd_to), itemised with the original caller. Calls inside the North
 * American Numbering Plan are included; international calls are billed per started minute, first from minutes
 * packs (oldest expiry first), then from the balance at the destination's rate. Each call is rated once (unique
 * call id). From usage come the daily and monthly series and the itemised call details (JSON, CSV, PDF).
 */
import { type SqlBool, sql } from 'kysely'
import type { z } from 'zod'
import type { callDetail, usageSeries } from '../../shared/api/billing'
import { HOUR } from '../clock'
import { type ServiceContext, inTransaction } from '../context'
import type { CallRecordsTable } from '../db/schema'
import { accountZone, CURRENCY, postEntry } from './balance'
import { CALL_DETAILS_MAX_DAYS, refuseLongerThan } from './period-limit'
import { addLocalDays, firstOfMonth, firstOfNextMonth, localDate, startOfLocalDay } from './proration'
import { classifyDestination, shownDestination } from './rates'
import { newId } from '../secrets'
import { eachItem } from '../job-items'
import { notWaiting, recordFailure } from './settle-retries'

/**
 * The longest a call lasts: Kamailio ends a call on both sides at this length (kamailio.cfg's MAX_CALL_SECONDS,
 * whose default test/unit/server/max-call.test.ts holds equal to this).
 */
export const MAX_CALL_SECONDS = 4 * 3600

/**
 * A call whose BYE has not come this long after its answer is given up on and rated at MAX_CALL_SECONDS: its end was
 * never recorded (a restart of Kamailio loses the call; the BYE Kamailio sends itself, at the limit or when a call's
 * credit is spent, is accounted by event_route[tm:local-request] in resources/kamailio/kamailio.cfg), and
 * a call rated as free for want of a BYE was a way to call abroad for nothing (a far end that never hangs up).
 */
const GIVEN_UP_MS = 12 * HOUR

/**
 * A BYE record `b` of the same Call-ID as the answered call `i` ends it only if it is of its dialog (the two tags,
 * either way round: either side may hang up) and not before its answer: one condition for the job's candidates and
 * rateCall (which says why).
 */
const OF_ITS_DIALOG_AFTER_ANSWER = sql<SqlBool>`((b.from_tag = i.from_tag AND b.to_tag = i.to_tag)
  OR (b.from_tag = i.to_tag AND b.to_tag = i.from_tag)) AND b.at >= i.at`

/** Job: rates answered calls whose BYE has arrived (or, with no BYE after 12 hours, at the longest a call lasts). */
export async function rateCalls(ctx: ServiceContext): Promise<number> {
  const givenUp = new Date(ctx.clock.now().getTime() - GIVEN_UP_MS).toISOString()
  // The unrated answered calls that can be rated now: ended (their BYE is in) or given up on. The constants are
  // literals so that both databases read them from the index of unrated calls (migration 0035): this read every
  // call record ever each pass, and each call still going was read and its BYE looked for every 30 s (500 at the
  // head held back every call behind them).
  const invites = await ctx.db
    .selectFrom('call_records as i')
    .selectAll('i')
    .where('i.method', '=', sql.lit('INVITE'))
    .where('i.sip_code', '=', sql.lit('200'))
    .where('i.missed', '=', sql.lit(0))
    .where('i.rated_at', 'is', null)
    // Not a call whose rating failed and waits its turn (settle-retries.ts): else a few hundred records that
    // always fail would take every place in the batch, pass after pass.
    .where(notWaiting('call', 'i.id', ctx.clock.now().toISOString()))
    .where((eb) =>
      eb.or([
        eb('i.at', '<=', givenUp),
        eb.exists(
          eb
            .selectFrom('call_records as b')
            .select('b.id')
            .whereRef('b.call_id', '=', 'i.call_id')
            .where('b.method', '=', 'BYE')
            .where(OF_ITS_DIALOG_AFTER_ANSWER)
            // A probe of the call's own rows (by call id) for each candidate: without the OFFSET (PostgreSQL's
            // fence; SQLite probes anyway) PostgreSQL may hash every BYE ever instead, a scan of the table each pass.
            .$if(ctx.dialect === 'postgres', (q) => q.offset(0))
        )
      ])
    )
    .orderBy('i.at')
    .limit(500)
    .execute()
  // Each call on its own (job-items.ts): a record that throws (its fields come from SIP, from anyone) does not hold
  // back the calls after it.
  const { done } = await eachItem(
    ctx,
    'call-rating',
    invites,
    (i) => i.id,
    (invite) => rateCall(ctx, invite),
    // The account is not known before the rating finds the line: the record is the call's.
    (invite, reason) => recordFailure(ctx, 'call', { id: invite.id, account_id: '' }, reason)
  )
  return done.filter(Boolean).length
}

/**
 * Rates one answered call (its INVITE 200 record): its BYE's time gives the length; the caller's line pays for the
 * call, a line that forwarded it out pays for that leg. True when this call of it rated it; false when it cannot be
 * rated yet (no BYE, not yet given up on) or another rating marked it first; throws when the rating fails (nothing of
 * it written). The job above and an operator's retry of a stuck call (stuck-settlements.ts) both rate through this.
 */
export async function rateCall(ctx: ServiceContext, invite: CallRecordsTable): Promise<boolean> {
  // The call's end: the first BYE of this dialog (its two tags, either way round: either side may hang up) after the
  // answer, answered or not (a far end refusing the BYE, or never answering, does not make the call go on: the relay
  // released its media). A BYE with the Call-ID alone, sent before the call or for another leg, ends nothing.
  const bye = await ctx.db
    .selectFrom('call_records as b')
    .innerJoin('call_records as i', (j) => j.on('i.id', '=', invite.id))
    .select('b.at')
    .whereRef('b.call_id', '=', 'i.call_id')
    .where('b.method', '=', 'BYE')
    .where(OF_ITS_DIALOG_AFTER_ANSWER)
    .orderBy('b.at')
    .executeTakeFirst()
  const now = ctx.clock.now()
  if (!bye && Date.parse(invite.at) + GIVEN_UP_MS > now.getTime()) return false
  const lineOf = (username: string | null) =>
    username
      ? ctx.db
          .selectFrom('sip_accounts')
          .innerJoin('lines', 'lines.id', 'sip_accounts.line_id')
          .select(['lines.id as lineId', 'lines.account_id as accountId'])
          .where('sip_accounts.username', '=', username)
          .executeTakeFirst()
      : Promise.resolve(undefined)
  const sip = await lineOf(invite.src_user)
  // A call a line forwarded out to a carrier (Kamailio's fwd_by / fwd_to): that line pays for the leg.
  const forwarder = invite.fwd_to ? await lineOf(invite.fwd_by) : undefined
  let mine = false
  await inTransaction(ctx, async (tx) => {
    // The mark is the claim: the job and an operator's retry may rate the same call at once, and only the one that
    // marks it rates it (PostgreSQL's second UPDATE waits for the first's row and then finds it marked).
    const marked = await tx.db
      .updateTable('call_records')
      .set({ rated_at: now.toISOString() })
      .where('id', '=', invite.id)
      .where('rated_at', 'is', null)
      .executeTakeFirst()
    if (marked.numUpdatedRows === 0n) return
    mine = true
    const seconds = bye
      ? Math.max(0, Math.round((Date.parse(bye.at) - Date.parse(invite.at)) / 1000))
      : MAX_CALL_SECONDS
    // Calls from outside (to our lines) cost our subscribers nothing.
    if (sip) await rateLeg(tx, sip, { key: invite.call_id, at: invite.at, seconds, dialled: invite.dst_user })
    if (forwarder && invite.fwd_to)
      await rateLeg(tx, forwarder, {
        key: `fwd:${invite.call_id}`,
        at: invite.at,
        seconds,
        dialled: invite.fwd_to,
        forwardedFrom: invite.fwd_from ?? ''
      })
  })
  return mine
}

/**
 * One leg on a line's usage, rated like any outgoing call: NANP included, international per started minute, from
 * minutes packs first (oldest expiry first), then from the balance. `key` is unique per leg (the Call-ID for the
 * caller's own call, `fwd:<Call-ID>` for the leg a line forwarded out), so a leg is rated and charged once.
 */
async function rateLeg(
  tx: ServiceContext,
  line: { readonly lineId: string; readonly accountId: string },
  leg: {
    readonly key: string
    readonly at: string
    readonly seconds: number
    readonly dialled: string
    readonly forwardedFrom?: string
  }
): Promise<void> {
  const dest = classifyDestination(leg.dialled)
  const minutes = Math.ceil(leg.seconds / 60)
  let fromPacks = 0
  if (dest.zone === 'international' && minutes > 0) {
    const packs = await tx.db
      .selectFrom('minute_packs')
      .selectAll()
      .where('account_id', '=', line.accountId)
      .where('expires_at', '>', leg.at)
      .whereRef('used', '<', 'minutes')
      .orderBy('expires_at')
      // Held until the rating commits: two calls of one account rated at once (the job's and an operator's retry)
      // would each add to the `used` it read, and a pack would give more minutes than it records. SQLite runs one
      // writing transaction at a time.
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .execute()
    for (const pack of packs) {
      const take = Math.min(pack.minutes - pack.used, minutes - fromPacks)
      if (take <= 0) break
      await tx.db
        .updateTable('minute_packs')
        .set({ used: pack.used + take })
        .where('id', '=', pack.id)
        .execute()
      fromPacks += take
    }
  }
  const amount = dest.zone === 'international' ? (minutes - fromPacks) * dest.ratePerMinute : 0
  await tx.db
    .insertInto('usage_records')
    .values({
      id: newId('use'),
      account_id: line.accountId,
      line_id: line.lineId,
      call_id: leg.key,
      started_at: leg.at,
      destination: dest.digits,
      seconds: leg.seconds,
      billed_minutes: dest.zone === 'international' ? minutes : 0,
      zone: dest.zone,
      pack_minutes: fromPacks,
      amount_minor: amount,
      forwarded_from: leg.forwardedFrom ?? null
    })
    .onConflict((oc) => oc.doNothing())
    .execute()
  if (amount > 0)
    await postEntry(tx, line.accountId, 'usage', -amount, leg.key, {
      code: 'call',
      params: { number: `+${dest.digits}`, minutes },
      text: `Call to +${dest.digits}, ${minutes} min`
    })
}

export async function callDetails(
  ctx: ServiceContext,
  accountId: string,
  from: string,
  to: string
): Promise<z.output<typeof callDetail>[]> {
  refuseLongerThan({ from, to }, CALL_DETAILS_MAX_DAYS, 'the itemised calls')
  const tz = await accountZone(ctx, accountId)
  const rows = await ctx.db
    .selectFrom('usage_records')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('started_at', '>=', startOfLocalDay(from, tz).toISOString())
    .where('started_at', '<', startOfLocalDay(addLocalDays(to, 1), tz).toISOString())
    .orderBy('started_at')
    .execute()
  return rows.map((r) => ({
    startedAt: r.started_at,
    lineId: r.line_id,
    destination: shownDestination(r.destination, r.zone),
    zone: r.zone,
    seconds: r.seconds,
    billedMinutes: r.billed_minutes,
    packMinutes: r.pack_minutes,
    amount: { amountMinor: r.amount_minor, currency: CURRENCY },
    ...(r.forwarded_from !== null ? { forwardedFrom: callerOf(r.forwarded_from) } : {})
  }))
}

/** A forwarded call's original caller as a person reads it: +digits, or '' when it was withheld or not a number. */
function callerOf(srcUser: string): string {
  return /^\d{3,15}$/.test(srcUser) ? `+${srcUser}` : ''
}

/** Consumption per local day or month: usage charges, fees (tariffs, recalculations) and minutes talked. */
export async function usageSeriesOf(
  ctx: ServiceContext,
  accountId: string,
  granularity: 'day' | 'month',
  from: string,
  to: string
): Promise<z.output<typeof usageSeries>> {
  const tz = await accountZone(ctx, accountId)
  const start = startOfLocalDay(from, tz).toISOString()
  const end = startOfLocalDay(addLocalDays(to, 1), tz).toISOString()
  const key = (iso: string): string => {
    const d = localDate(new Date(iso), tz)
    return granularity === 'day' ? d : d.slice(0, 7)
  }
  const points = new Map<string, { usageMinor: number; feesMinor: number; minutes: number }>()
  // A point for each day or month of the range, empty ones too, stepped by the unit (the contract bounds both).
  const next = granularity === 'day' ? (d: string) => addLocalDays(d, 1) : firstOfNextMonth
  for (let d = granularity === 'day' ? from : firstOfMonth(from); d <= to; d = next(d))
    points.set(granularity === 'day' ? d : d.slice(0, 7), { usageMinor: 0, feesMinor: 0, minutes: 0 })
  const entries = await ctx.db
    .selectFrom('balance_entries')
    .select(['kind', 'amount_minor', 'created_at'])
    .where('account_id', '=', accountId)
    .where('kind', 'in', ['usage', 'recurring_fee', 'proration_charge', 'proration_credit'])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute()
  for (const e of entries) {
    const p = points.get(key(e.created_at))
    if (!p) continue
    if (e.kind === 'usage') p.usageMinor += -e.amount_minor
    else p.feesMinor += -e.amount_minor
  }
  const calls = await ctx.db
    .selectFrom('usage_records')
    .select(['started_at', 'seconds'])
    .where('account_id', '=', accountId)
    .where('started_at', '>=', start)
    .where('started_at', '<', end)
    .execute()
  for (const c of calls) {
    const p = points.get(key(c.started_at))
    if (p) p.minutes += Math.ceil(c.seconds / 60)
  }
  return {
    granularity,
    currency: CURRENCY,
    points: [...points.entries()].map(([period, v]) => ({ period, ...v }))
  }
}
