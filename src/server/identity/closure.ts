/**
 * Closing an account at its owner's request (privacy law, app stores). The decisions, and why:
 *
 * - The password is asked again (a stolen session alone cannot close anything), and a request only schedules the
 *   closure: CLOSURE_GRACE_DAYS later the job below closes the account. Until then the request itself cuts nothing:
 *   the lines stay in service, so someone who learnt the password cannot cut a household's phone at once, and the
 *   owner who changes their mind finds everything as it was. But auto-renew does not charge a closing account's
 *   cards (../billing/auto-renew.ts leaves them out), since the renewal would pay for time after the closing; so
 *   a line works until its paid time ends or the closing date, whichever comes first, and a line whose paid time
 *   ends first keeps only 911 (and 933), as every lapsed line does, until the closing date. On that date the lines
 *   close, and 911 no longer works from them. The app's words before the password and on the banner, and the
 *   email at the request, say all of this (privacy.close.*, privacy.closing.body; closure.body).
 * - Every confirmed address is emailed at the request (with the date, and how to undo it: sign in to Dialtone and
 *   choose "Keep my account" on the Account page, then change the password if it was not them) and at completion.
 * - Signing in keeps working during the grace period; "Keep my account" cancels the closure (a password-less
 *   action: it only undoes, and the session may be the owner's own after an attacker's request).
 * - Concurrency: two requests at once are one closure (the partial unique index account_closures_one_open refuses
 *   the second's row, answered as 'closure-scheduled'); "Keep my account" and the closing job each change the row
 *   only while it is 'scheduled' and go on only if they did, so whichever commits first wins and the other does
 *   nothing (no "stays open" email for an account being erased, no erasing of a kept one).
 * - A business with people on it is refused ('business-has-people': remove them in Account → Business first), a
 *   legal entity too ('legal-entity-closure': its contract ends through support, in writing). A member's own
 *   sign-in is not theirs to close (the routes are the owner's only; the administrator's removal erases it).
 * - At completion, in one transaction: every open line closes through closeLine (number to quarantine, SIP row
 *   gone, voicemail removed), subscriptions end, scheduled plan changes are cancelled, the dongles are freed (a
 *   pending transfer of one is declined), cards are removed (the processor's copy and the token then go as every
 *   removed card's do), the account's own trial requests are deleted, and the sign-in is erased as ./erasure.ts
 *   says (name, contact, password, emails, phones, sessions, messages, support words). Invoices, the balance ledger,
 *   orders and call records stay under the account id: bookkeeping law keeps them. The last email ("closed") goes
 *   out under the account id too, so the retention job (../retention.ts) deletes it, with its address, once its
 *   time there is over.
 * - A positive balance is not paid out by itself (refunds go back to the card of a charge, which support chooses:
 *   ../billing/refunds.ts); the app says so before the password is asked and points to Help, where support is
 *   asked to refund it before the closing date. After it, the ledger keeps the amount under the account id.
 */
import type { AccountClosure } from '../../shared/api/privacy'
import { CLOSURE_GRACE_DAYS } from '../../shared/api/privacy'
import { DAY } from '../clock'
import { type ServiceContext, inTransaction } from '../context'
import { ServiceError, conflict } from '../http/errors'
import { balanceOf, CURRENCY } from '../billing/balance'
import { enqueue, notifyAllEmails } from '../mail/outbox'
import { templates } from '../mail/templates'
import { type SyncResult, applySync, closeLine, openLineIds } from '../provisioning/lines'
import { eachItem } from '../job-items'
import { newId } from '../secrets'
import { checkCurrentPassword } from './auth'
import { eraseSignIn } from './erasure'
import { closeRemovedSignIn } from '../business/member-removal'
import { lockAccount } from '../account-lock'
import { localDate, zoneOr } from '../../shared/time/business-dates'
import { wordsLanguage } from '../words/format'

/** The instant a closure asked now takes effect. */
const closesAfterGrace = (ctx: ServiceContext): string =>
  new Date(ctx.clock.now().getTime() + CLOSURE_GRACE_DAYS * DAY).toISOString()

export async function scheduledClosure(ctx: ServiceContext, accountId: string) {
  return ctx.db
    .selectFrom('account_closures')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'scheduled')
    .executeTakeFirst()
}

/** The closure as the app shows it: scheduled or not, and what closing would do now. */
export async function closureState(ctx: ServiceContext, accountId: string): Promise<AccountClosure> {
  const scheduled = await scheduledClosure(ctx, accountId)
  const lines = await ctx.db
    .selectFrom('lines')
    .select(['id', 'phone_number'])
    .where('account_id', '=', accountId)
    .where('status', '!=', 'closed')
    .orderBy('created_at')
    .execute()
  return {
    scheduled: scheduled ? { requestedAt: scheduled.requested_at, closesAt: scheduled.closes_at } : null,
    lines: lines.map((l) => ({ id: l.id, number: l.phone_number })),
    balance: { amountMinor: await balanceOf(ctx, accountId), currency: CURRENCY },
    graceDays: CLOSURE_GRACE_DAYS,
    wouldCloseAt: closesAfterGrace(ctx)
  }
}

/** The closing day in the account's zone, for the emails. */
export async function closingDay(ctx: ServiceContext, accountId: string, closesAt: string): Promise<string> {
  const a = await ctx.db
    .selectFrom('accounts')
    .select('timezone')
    .where('id', '=', accountId)
    .executeTakeFirst()
  return localDate(new Date(closesAt), zoneOr(a?.timezone))
}

/** Schedules the account's closure (password checked first); refusals are reason codes the app words. */
export async function requestClosure(
  ctx: ServiceContext,
  accountId: string,
  password: string,
  ip: string
): Promise<AccountClosure> {
  await checkCurrentPassword(ctx, accountId, password, 'password')
  try {
    await scheduleClosure(ctx, accountId, ip)
  } catch (err) {
    if (err instanceof ServiceError) throw err
    // A second request at the same moment (a double click, two devices): the unique index refused its row.
    const open = await scheduledClosure(ctx, accountId)
    if (open) throw alreadyScheduled(await closingDay(ctx, accountId, open.closes_at))
    throw err
  }
  return closureState(ctx, accountId)
}

export const alreadyScheduled = (date: string) =>
  conflict('closure-scheduled', 'the account’s closure is already scheduled', { date })

async function scheduleClosure(ctx: ServiceContext, accountId: string, ip: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    // Its people counted while no invitation can commit beside the count (members.ts locks the same row).
    await lockAccount(tx, accountId)
    const account = await tx.db
      .selectFrom('accounts')
      .select(['type'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow()
    if (account.type === 'legal_entity')
      throw conflict('legal-entity-closure', 'a legal entity’s account is closed through support, in writing')
    const people = await tx.db
      .selectFrom('business_members')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    if (Number(people?.n ?? 0) > 0)
      throw conflict('business-has-people', 'remove the business’s people before closing its account')
    const open = await scheduledClosure(tx, accountId)
    if (open) throw alreadyScheduled(await closingDay(tx, accountId, open.closes_at))
    const now = tx.clock.now()
    const closesAt = closesAfterGrace(tx)
    await tx.db
      .insertInto('account_closures')
      .values({
        id: newId('acl'),
        account_id: accountId,
        status: 'scheduled',
        requested_at: now.toISOString(),
        requested_ip: ip,
        closes_at: closesAt,
        ended_at: null
      })
      .execute()
    const day = await closingDay(tx, accountId, closesAt)
    await notifyAllEmails(
      tx.db,
      tx.clock,
      accountId,
      (l) => templates(l).closureRequested(day),
      'account-closure-requested'
    )
    await tx.audit.record('account.closure-requested', { accountId, ip, detail: { closesAt } })
  })
}

/** "Keep my account": cancels the scheduled closure; 'closure-not-scheduled' when there is none. */
export async function keepAccount(
  ctx: ServiceContext,
  accountId: string,
  ip: string
): Promise<AccountClosure> {
  await inTransaction(ctx, async (tx) => {
    const notScheduled = () => conflict('closure-not-scheduled', 'the account is not being closed')
    const open = await scheduledClosure(tx, accountId)
    if (!open) throw notScheduled()
    // Only a closure still scheduled: the job may have claimed it since (completeClosure), and then it stands.
    const cancelled = await tx.db
      .updateTable('account_closures')
      .set({ status: 'cancelled', ended_at: tx.clock.now().toISOString() })
      .where('id', '=', open.id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
    if (Number(cancelled.numUpdatedRows) !== 1) throw notScheduled()
    await notifyAllEmails(tx.db, tx.clock, accountId, (l) => templates(l).closureCancelled(), 'account-kept')
    await tx.audit.record('account.closure-cancelled', { accountId, ip })
  })
  return closureState(ctx, accountId)
}

/** The job: closes every account whose grace period has ended (each on its own, ../job-items.ts). */
export async function completeDueClosures(ctx: ServiceContext): Promise<number> {
  const due = await ctx.db
    .selectFrom('account_closures')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('closes_at', '<=', ctx.clock.now().toISOString())
    .orderBy('closes_at')
    .execute()
  const { done } = await eachItem(
    ctx,
    'account-closures',
    due,
    (c) => c.id,
    async (c) => completeClosure(ctx, c.id)
  )
  return done.filter(Boolean).length
}

/** Closes one account whose grace period ended (see the top of this file); false when it was no longer due. */
export async function completeClosure(ctx: ServiceContext, closureId: string): Promise<boolean> {
  const results = await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    // The claim, first: the row becomes 'completed' only if it is still 'scheduled', and nothing else happens
    // otherwise. A "Keep my account" committed before it leaves nothing to claim; one running at the same time
    // waits for this row (PostgreSQL's row lock; SQLite runs one transaction at a time) and then finds it no longer
    // scheduled. The final status is written at once rather than an intermediate 'closing': all of this is one
    // transaction, so nobody sees it before the erasing is done, and a failure rolls the claim back with the rest.
    const claimed = await tx.db
      .updateTable('account_closures')
      .set({ status: 'completed', ended_at: now, requested_ip: null })
      .where('id', '=', closureId)
      .where('status', '=', 'scheduled')
      .returning('account_id')
      .executeTakeFirst()
    if (!claimed) return null
    const accountId = claimed.account_id
    // The account before its lines, as every writer holding both takes them (account-lock.ts): closing them below
    // must not wait on a service switch that holds the account and waits for a line.
    await lockAccount(tx, accountId)
    // Who to tell, in which words, before the addresses are erased.
    const to = await tx.db
      .selectFrom('account_emails')
      .select('address')
      .where('account_id', '=', accountId)
      .where('verified_at', 'is not', null)
      .execute()
    const language = await tx.db
      .selectFrom('accounts')
      .select('language')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow()
    const lines = await openLineIds(tx, accountId)
    const results: SyncResult[] = []
    for (const lineId of lines) results.push(await closeLine(tx, lineId))
    await endBilling(tx, accountId, now)
    const devices = tx.db.selectFrom('devices').select('id').where('owner_account_id', '=', accountId)
    await tx.db
      .updateTable('device_transfers')
      .set({ status: 'declined', decided_at: now })
      .where('device_id', 'in', devices)
      .where('status', '=', 'pending')
      .execute()
    await tx.db
      .updateTable('devices')
      .set({ owner_account_id: null, updated_at: now })
      .where('owner_account_id', '=', accountId)
      .execute()
    await eraseTraces(tx, accountId)
    // Nobody acts for a closed account. Its people were refused before it was scheduled and invitations while it
    // was; any left (from before that rule) are removed as the People list removes them.
    const people = await tx.db
      .deleteFrom('business_members')
      .where('account_id', '=', accountId)
      .returning('person_id')
      .execute()
    for (const { person_id } of people) await closeRemovedSignIn(tx, person_id)
    await eraseSignIn(tx, accountId)
    // Queued after erasing deleted the account's messages, and under its id: the retention job deletes it (and the
    // address in it) once its time in the outbox is over (RETENTION.closedAccountMessageDays).
    const message = templates(wordsLanguage(language.language)).accountClosed()
    for (const { address } of to)
      await enqueue(tx.db, tx.clock, {
        ...message,
        channel: 'email',
        to: address,
        purpose: 'account-closed',
        accountId
      })
    await tx.audit.record('account.closed', { accountId, detail: { lines: lines.length } })
    return results
  })
  if (results === null) return false
  await applySync(ctx, results)
  return true
}

/**
 * Subscriptions end, scheduled plan changes are cancelled, cards are removed (as removing one in Billing does; the
 * processor's copy and the token go the way every removed card's do, by the retention job).
 */
async function endBilling(tx: ServiceContext, accountId: string, now: string): Promise<void> {
  const subs = tx.db.selectFrom('subscriptions').select('id').where('account_id', '=', accountId)
  await tx.db
    .updateTable('scheduled_changes')
    .set({ status: 'canceled', decided_at: now })
    .where('subscription_id', 'in', subs)
    .where('status', '=', 'scheduled')
    .execute()
  await tx.db
    .updateTable('subscriptions')
    .set({
      status: 'canceled',
      auto_renew: 0,
      payment_method_id: null,
      canceled_at: now,
      cancel_reason: 'voluntary',
      next_attempt_at: null,
      updated_at: now
    })
    .where('account_id', '=', accountId)
    .where('status', '!=', 'canceled')
    .execute()
  await tx.db
    .updateTable('payment_methods')
    .set({ removed_at: now, is_default: 0 })
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .execute()
}

/**
 * What is the account's but not under its id (eraseSignIn deletes the rows that are):
 *
 * - its trial requests (name, billing address, a password hash): those that joined it carry its id; the one that
 *   made it does not, and is found as the source of a trial grant on one of its lines.
 * - messages to its addresses that belong to no account (the code of the trial that made it, sent before it
 *   existed).
 *
 * Another account's rows are that account's, even when they name one of these addresses (one it had before, or
 * invited): they are not touched. Member removal needs none of this: an invited sign-in never started a trial.
 */
async function eraseTraces(tx: ServiceContext, accountId: string): Promise<void> {
  const madeIt = tx.db
    .selectFrom('coverage_grants')
    .innerJoin('lines', 'lines.id', 'coverage_grants.line_id')
    .select('coverage_grants.source_id')
    .where('lines.account_id', '=', accountId)
    .where('coverage_grants.source_type', '=', 'trial')
  await tx.db
    .deleteFrom('trial_requests')
    .where((eb) => eb.or([eb('account_id', '=', accountId), eb('id', 'in', madeIt)]))
    .execute()
  const addresses = (
    await tx.db.selectFrom('account_emails').select('address').where('account_id', '=', accountId).execute()
  ).map((e) => e.address.toLowerCase())
  if (addresses.length === 0) return
  await tx.db
    .deleteFrom('outbox')
    .where('account_id', 'is', null)
    .where((eb) => eb(eb.fn('lower', ['recipient']), 'in', addresses))
    .execute()
}
