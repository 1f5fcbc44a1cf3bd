/**
 * Blocked numbers: up to 200 per account (configurable), kept by the service so every device of the account
 * rejects the same callers; the app's phone reads the list. Numbers are stored as digits with a leading '+'
 * (NANP numbers in E.164), so "(212) 555-0101" and "+1 212 555 0101" are one entry.
 */
import { type ServiceContext, inTransaction } from '../context'
import { conflict, invalid, notFound } from '../http/errors'
import { normalizeNanp } from '../../shared/numbers/nanp'
import { PHONE_MIN_DIGITS } from '../../shared/api/formats'

export function normalizeBlocked(input: string): string {
  const nanp = normalizeNanp(input)
  if (nanp) return nanp
  const digits = input.replace(/\D/g, '').replace(/^011/, '')
  // Said as what is wrong with it (the app words the code): "12" is too short, 16 digits more than any number has.
  if (digits.length < PHONE_MIN_DIGITS)
    throw invalid('number', 'too few digits for a phone number', 'phone-too-short')
  if (digits.length > 15)
    throw invalid('number', 'more digits than a phone number has (15)', 'phone-too-long')
  return `+${digits}`
}

export async function listBlocked(ctx: ServiceContext, accountId: string) {
  const rows = await ctx.db
    .selectFrom('blocked_numbers')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('number')
    .execute()
  return {
    numbers: rows.map((r) => ({ number: r.number, label: r.label, createdAt: r.created_at })),
    max: ctx.config.billing.maxBlockedNumbers
  }
}

export async function blockNumber(
  ctx: ServiceContext,
  accountId: string,
  raw: string,
  label: string | undefined
) {
  const number = normalizeBlocked(raw)
  await inTransaction(ctx, async (tx) => {
    const count = await tx.db
      .selectFrom('blocked_numbers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow()
    const exists = await tx.db
      .selectFrom('blocked_numbers')
      .select('number')
      .where('account_id', '=', accountId)
      .where('number', '=', number)
      .executeTakeFirst()
    if (exists) {
      await tx.db
        .updateTable('blocked_numbers')
        .set({ label: label ?? null })
        .where('account_id', '=', accountId)
        .where('number', '=', number)
        .execute()
      return
    }
    if (Number(count.n) >= tx.config.billing.maxBlockedNumbers)
      throw conflict(
        'blocked-list-full',
        `at most ${tx.config.billing.maxBlockedNumbers} numbers can be blocked; remove one first`,
        { max: tx.config.billing.maxBlockedNumbers }
      )
    await tx.db
      .insertInto('blocked_numbers')
      .values({
        account_id: accountId,
        number,
        label: label ?? null,
        created_at: tx.clock.now().toISOString()
      })
      .execute()
    await tx.audit.record('blocked.changed', { accountId, detail: { added: number } })
  })
  return listBlocked(ctx, accountId)
}

export async function unblockNumber(ctx: ServiceContext, accountId: string, raw: string) {
  const number = normalizeBlocked(raw)
  const res = await ctx.db
    .deleteFrom('blocked_numbers')
    .where('account_id', '=', accountId)
    .where('number', '=', number)
    .executeTakeFirst()
  if (Number(res.numDeletedRows) !== 1)
    throw notFound('blocked-number-not-found', 'this number in the blocked list')
  await ctx.audit.record('blocked.changed', { accountId, detail: { removed: number } })
  return listBlocked(ctx, accountId)
}
