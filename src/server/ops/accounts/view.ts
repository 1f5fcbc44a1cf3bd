/**
 * An account as an operator sees it (issue 20), and finding accounts by what a caller tells support: an email
 * (any address on an account, confirmed or only claimed), a number (a line's, current or past, or a phone on the
 * account) or a dongle's serial (its owner, and the accounts of lines it had). Never a secret: no password hash,
 * token or SIP credential, and card details (brand, last four, expiry) only for roles that handle money.
 */
import type { AccountView } from '../../../shared/ops/routes-accounts'
import { identifierKey } from '../../../shared/api/identity'
import { normalizeNanp } from '../../../shared/numbers/nanp'
import type { ServiceContext } from '../../context'
import { accountRows } from '../../identity/accounts'
import { invalid, notFound } from '../../http/errors'
import { openSuspension } from '../../provisioning/line-facts'

export async function accountViewOf(
  ctx: ServiceContext,
  accountId: string,
  o: { cards: boolean }
): Promise<AccountView> {
  const { a, emails, phones } = await accountRows(ctx, accountId)
  const lines = await ctx.db
    .selectFrom('lines')
    .innerJoin('devices', 'devices.id', 'lines.device_id')
    .leftJoin('subscriptions as s', 's.line_id', 'lines.id')
    .leftJoin('plans as p', 'p.id', 's.plan_id')
    .selectAll('lines')
    .select(['devices.serial', 'p.code as plan_code'])
    .select((eb) => {
      // The subscription's scheduled change (pendingChange's: the first found), a column at a time.
      const change = () =>
        eb
          .selectFrom('scheduled_changes as sc')
          .leftJoin('plans as tp', 'tp.id', 'sc.to_plan_id')
          .whereRef('sc.subscription_id', '=', 's.id')
          .where('sc.status', '=', 'scheduled')
          .limit(1)
      return [
        change().select('sc.to_plan_id').as('change_to_plan_id'),
        change().select('tp.code').as('change_to_code'),
        change().select('sc.effective_date').as('change_effective_date'),
        eb
          .selectFrom('coverage_grants as g')
          .select((g) => g.fn.max('g.ends_at').as('m'))
          .whereRef('g.line_id', '=', 'lines.id')
          .where('g.voided_at', 'is', null)
          .as('paid_through'),
        openSuspension(eb).select('ls.suspended_at').limit(1).as('suspended_at'),
        // Why, and by whom (the operator's email): the person is told to ask support why, and any operator answers.
        openSuspension(eb).select('ls.reason').limit(1).as('suspension_reason'),
        openSuspension(eb)
          .leftJoin('operators as so', 'so.id', 'ls.suspended_by')
          .select('so.email')
          .limit(1)
          .as('suspended_by')
      ]
    })
    .where('lines.account_id', '=', accountId)
    .orderBy('lines.created_at')
    .execute()
  const devices = await ctx.db
    .selectFrom('devices')
    .select(['serial', 'model', 'purchase_channel'])
    .where('owner_account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const invitation = await ctx.db
    .selectFrom('account_invitations')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
  const cards = await ctx.db
    .selectFrom('payment_methods')
    .select(['brand', 'last4', 'exp_month', 'exp_year'])
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .execute()
  const identifiers = [
    ...emails.map((e) => identifierKey(e.address)),
    ...phones.map((p) => p.e164),
    ...lines.flatMap((l) => (l.phone_number ? [l.phone_number] : []))
  ]
  const delayed = await ctx.db
    .selectFrom('signin_throttle')
    .select('key')
    .where('identifier', 'in', identifiers.length > 0 ? identifiers : [''])
    .where('next_at', '>', ctx.clock.now().toISOString())
    .executeTakeFirst()
  const closure = await ctx.db
    .selectFrom('account_closures')
    .select(['status', 'requested_at', 'closes_at', 'ended_at'])
    .where('account_id', '=', accountId)
    .orderBy('requested_at', 'desc')
    .executeTakeFirst()
  return {
    id: a.id,
    type: a.type,
    status: a.status,
    name: a.name,
    company: a.company,
    timeZone: a.timezone,
    createdAt: a.created_at,
    emails: emails.map((e) => ({
      address: e.address,
      role: e.role,
      verified: e.verified_at !== null,
      preferred: e.preferred === 1
    })),
    phones: phones.map((p) => ({ e164: p.e164, verified: p.verified_at !== null })),
    lines: lines.map((l) => ({
      id: l.id,
      status: l.status,
      number: l.phone_number,
      deviceSerial: l.serial,
      label: l.label,
      paidThrough: l.paid_through ?? null,
      suspendedAt: l.status === 'suspended' ? (l.suspended_at ?? null) : null,
      suspension:
        l.status === 'suspended' && l.suspension_reason
          ? { reason: l.suspension_reason, by: l.suspended_by ?? null }
          : null,
      plan: l.plan_code ?? null,
      pendingChange:
        l.change_to_plan_id && l.change_effective_date
          ? { toPlan: l.change_to_code ?? l.change_to_plan_id, effectiveDate: l.change_effective_date }
          : null
    })),
    devices: devices.map((d) => ({ serial: d.serial, model: d.model, channel: d.purchase_channel })),
    invitation: invitation
      ? { email: invitation.email, sentAt: invitation.sent_at, acceptedAt: invitation.accepted_at }
      : null,
    cardsOnFile: cards.length,
    cards: o.cards
      ? cards.map((c) => ({ brand: c.brand, last4: c.last4, expMonth: c.exp_month, expYear: c.exp_year }))
      : null,
    signInDelayed: delayed !== undefined,
    closure: closure
      ? {
          status: closure.status,
          requestedAt: closure.requested_at,
          closesAt: closure.closes_at,
          endedAt: closure.ended_at
        }
      : null
  }
}

/** An operator's action on an account id: `account-not-found` (404) when there is none. */
export async function requireAccount(ctx: ServiceContext, accountId: string): Promise<void> {
  const found = await ctx.db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', accountId)
    .executeTakeFirst()
  if (!found) throw notFound('account-not-found', `the account ${accountId}`)
}

export interface FindQuery {
  readonly email?: string | undefined
  readonly number?: string | undefined
  readonly serial?: string | undefined
}

/**
 * The ids of the accounts a query names (exactly one of email, number, serial); 404 when none. A refusal does not
 * repeat what was typed: its message goes into the append-only ops audit with the failed search.
 */
export async function findAccountIds(ctx: ServiceContext, q: FindQuery): Promise<string[]> {
  const given = [q.email, q.number, q.serial].filter((v) => v !== undefined)
  if (given.length !== 1) throw invalid('', 'give exactly one of --email, --number or --serial', 'lookup-one')
  const ids = new Set<string>()
  if (q.email !== undefined) {
    const rows = await ctx.db
      .selectFrom('account_emails')
      .select('account_id')
      .where('address', '=', q.email)
      .execute()
    for (const r of rows) ids.add(r.account_id)
    if (ids.size === 0) throw notFound('account-not-found', 'an account with that email')
  } else if (q.number !== undefined) {
    const e164 = normalizeNanp(q.number)
    if (!e164) throw invalid('number', 'not a US or Canadian phone number', 'invalid-input')
    const lines = await ctx.db
      .selectFrom('lines')
      .select('account_id')
      .where('phone_number', '=', e164)
      .execute()
    // A number that moved on (released, changed) still names the accounts that had it.
    const past = await ctx.db
      .selectFrom('number_history')
      .innerJoin('lines', 'lines.id', 'number_history.line_id')
      .select('lines.account_id')
      .where('number_history.e164', '=', e164)
      .execute()
    const phones = await ctx.db
      .selectFrom('account_phones')
      .select('account_id')
      .where('e164', '=', e164)
      .execute()
    for (const r of [...lines, ...past, ...phones]) ids.add(r.account_id)
    if (ids.size === 0) throw notFound('account-not-found', 'an account with that number')
  } else if (q.serial !== undefined) {
    const device = await ctx.db
      .selectFrom('devices')
      .select(['id', 'owner_account_id'])
      .where('serial', '=', q.serial)
      .executeTakeFirst()
    if (!device) throw notFound('serial-unknown', 'a dongle with that serial on any account')
    if (device.owner_account_id) ids.add(device.owner_account_id)
    const lines = await ctx.db
      .selectFrom('lines')
      .select('account_id')
      .where('device_id', '=', device.id)
      .execute()
    for (const r of lines) ids.add(r.account_id)
    if (ids.size === 0) throw notFound('account-not-found', 'an account with that dongle')
  }
  return [...ids]
}
