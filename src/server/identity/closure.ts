/**
 * Closing an account at its owner's request (privacy law, app stores). The decisions, and why:
 *
 * - The password is asked again (a stolen session alone cannot close anything), and a request only schedules the
 *   closure: CLOSURE_GRACE_DAYS later the job below closes the account. Until then nothing changes for the lines:
 *   they stay in service, so someone who learnt the password cannot cut a household's phone at once, and the
 *   owner who changes their mind finds everything as it was. Auto-renew does not charge a closing account's cards
 *   (../billing/auto-renew.ts leaves them out), since the renewal would pay for time after the closing.
 * - Every confirmed address is emailed at the request (with the date, and how to undo it: sign in to Dialtone and
 *   choose "Keep my account" on the Account page, then change the password if it was not them) and at completion.
 * - Signing in keeps working during the grace period; "Keep my account" cancels the closure (a password-less
 *   action: it only undoes, and the session may be the owner's own after an attacker's request).
 * - A business with people on it is refused ('business-has-people': remove them in Account → Business first), a
 *   legal entity too ('legal-entity-closure': its contract ends through support, in writing). A member's own
 *   sign-in is not theirs to close (the routes are the owner's only; the administrator's removal erases it).
 * - At completion, in one transaction: every open line closes through closeLine (number to quarantine, SIP row
 *   gone, voicemail removed), subscriptions end, scheduled plan changes are cancelled, the dongles are freed (a
 *   pending transfer of one is declined), cards are removed (the processor's copy and the token then go as every
 *   removed card's do), and the sign-in is erased as ./erasure.ts says (name, contact, password, emails, phones, sessions, messages, support words). Invoices,
 *   the balance ledger, orders and call records stay under the account id: bookkeeping law keeps them.
 * - A positive balance is not paid out by itself (refunds go back to the card of a charge, which support chooses:
 *   ../billing/refunds.ts); the app says so before the password is asked and points to Help, where support is
 *   asked to refund it before the closing date. After it, the ledger keeps the amount under the account id.
 */
import type { AccountClosure } from '../../shared/api/privacy'
import { CLOSURE_GRACE_DAYS } from '../../shared/api/privacy'
import { DAY } from '../clock'
import { type ServiceContext, inTransaction } from '../context'
import { conflict } from '../http/errors'
import { balanceOf, CURRENCY } from '../billing/balance'
import { enqueue, notifyAllEmails } from '../mail/outbox'
import { templates } from '../mail/templates'
import { type SyncResult, applySync, closeLine } from '../provisioning/lines'
import { eachItem } from '../job-items'
import { newId } from '../secrets'
import { checkCurrentPassword } from './auth'
import { eraseSignIn } from './erasure'
import { localDate, zoneOr } from '../../shared/time/business-dates'
import { wordsLanguage } from '../words/format'

/** The instant a closure asked now takes effect. */
const closesAfterGrace = (ctx: ServiceContext): string =>
  new Date(ctx.clock.now().getTime() + CLOSURE_GRACE_DAYS * DAY).toISOString()

async function scheduledClosure(ctx: ServiceContext, accountId: string) {
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
async function closingDay(ctx: ServiceContext, accountId: string, closesAt: string): Promise<string> {
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
  await inTransaction(ctx, async (tx) => {
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
    if (open)
      throw conflict('closure-scheduled', 'the account’s closure is already scheduled', {
        date: await closingDay(tx, accountId, open.closes_at)
      })
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
  return closureState(ctx, accountId)
}

/** "Keep my account": cancels the scheduled closure; 'closure-not-scheduled' when there is none. */
export async function keepAccount(
  ctx: ServiceContext,
  accountId: string,
  ip: string
): Promise<AccountClosure> {
  await inTransaction(ctx, async (tx) => {
    const open = await scheduledClosure(tx, accountId)
    if (!open) throw conflict('closure-not-scheduled', 'the account is not being closed')
    await tx.db
      .updateTable('account_closures')
      .set({ status: 'cancelled', ended_at: tx.clock.now().toISOString() })
      .where('id', '=', open.id)
      .where('status', '=', 'scheduled')
      .execute()
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
    const closure = await tx.db
      .selectFrom('account_closures')
      .selectAll()
      .where('id', '=', closureId)
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
    if (!closure) return null
    const accountId = closure.account_id
    const now = tx.clock.now().toISOString()
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
    const lines = await tx.db
      .selectFrom('lines')
      .select('id')
      .where('account_id', '=', accountId)
      .where('status', '!=', 'closed')
      .execute()
    const results: SyncResult[] = []
    for (const l of lines) results.push(await closeLine(tx, l.id))
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
    await eraseSignIn(tx, accountId)
    await tx.db
      .updateTable('account_closures')
      .set({ status: 'completed', ended_at: now, requested_ip: null })
      .where('id', '=', closure.id)
      .execute()
    // Not the account's own message: erasing deleted those, and this one must still go out.
    const message = templates(wordsLanguage(language.language)).accountClosed()
    for (const { address } of to)
      await enqueue(tx.db, tx.clock, { ...message, channel: 'email', to: address, purpose: 'account-closed' })
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
 * What names the account's addresses outside its own rows: messages sent before the account existed (a trial's
 * code) and the trial requests that made or joined it (name, billing address, a password hash). Member removal
 * needs none of this: an invited sign-in never started a trial.
 */
async function eraseTraces(tx: ServiceContext, accountId: string): Promise<void> {
  const addresses = (
    await tx.db.selectFrom('account_emails').select('address').where('account_id', '=', accountId).execute()
  ).map((e) => e.address.toLowerCase())
  if (addresses.length === 0) return
  await tx.db
    .deleteFrom('outbox')
    .where((eb) => eb(eb.fn('lower', ['recipient']), 'in', addresses))
    .execute()
  await tx.db
    .deleteFrom('trial_requests')
    .where((eb) => eb.or([eb('account_id', '=', accountId), eb(eb.fn('lower', ['email']), 'in', addresses)]))
    .execute()
}
