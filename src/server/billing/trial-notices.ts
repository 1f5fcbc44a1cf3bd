/**
 * Tells a person before their free trial ends: one email per trial line, TRIAL_NOTICE_DAYS before the end, with
 * where in the app to choose a plan (paying for the line keeps its number), in the account's language. The outbox is
 * the memory: a line whose notice (a subject naming its number, in whatever language it went) is already queued
 * gets no second one, so a restart, a second instance or a change of language is harmless.
 */
import { sql } from 'kysely'
import { DAY } from '../clock'
import type { ServiceContext } from '../context'
import { notifyPreferred } from '../mail/outbox'
import { trialEnd } from './coverage'
import { billingNotices } from './notices'
import { wordsLanguage } from '../words/format'
import { eachItem } from '../job-items'

/** A week: enough to choose and pay, close enough to be read as news. */
export const TRIAL_NOTICE_DAYS = 7
const PURPOSE = 'trial-ending'

export async function noticeTrialsEnding(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now()
  const soon = new Date(now.getTime() + TRIAL_NOTICE_DAYS * DAY).toISOString()
  const candidates = await ctx.db
    .selectFrom('coverage_grants')
    .innerJoin('lines', 'lines.id', 'coverage_grants.line_id')
    .innerJoin('accounts', 'accounts.id', 'lines.account_id')
    .select([
      'lines.id as lineId',
      'lines.account_id as accountId',
      'lines.phone_number as number',
      'accounts.language'
    ])
    .where('coverage_grants.source_type', '=', 'trial')
    .where('coverage_grants.voided_at', 'is', null)
    .where('coverage_grants.ends_at', '>', now.toISOString())
    .where('coverage_grants.ends_at', '<=', soon)
    .where('lines.status', '=', 'in_service')
    // Only lines still to be told (the same tests as below, in the query): each pass used to read every line in its
    // trial's last week and look for its notice again, two statements a line every 30 s for a week.
    .where('lines.phone_number', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('coverage_grants as paid')
            .select('paid.id')
            .whereRef('paid.line_id', '=', 'lines.id')
            .where('paid.voided_at', 'is', null)
            .where('paid.source_type', '!=', 'trial')
        )
      )
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('outbox')
            .select('outbox.id')
            .whereRef('outbox.account_id', '=', 'lines.account_id')
            // A literal, so that every plan of it matches outbox_trial_notices' condition (migration 0035).
            .where('outbox.purpose', '=', sql.lit(PURPOSE))
            .where('outbox.subject', 'like', sql<string>`'%' || ${sql.ref('lines.phone_number')} || '%'`)
        )
      )
    )
    .distinct()
    .execute()
  let sent = 0
  // Each line on its own (job-items.ts): one that throws does not hold back the others.
  await eachItem(
    ctx,
    'trial-notices',
    candidates,
    (c) => c.lineId,
    async (c) => {
      // Only a line still on its trial alone: one already paid for needs no reminder.
      const end = await trialEnd(ctx, c.lineId)
      if (!end || end <= now || !c.number) return
      const message = billingNotices(wordsLanguage(c.language)).trialEnding(c.number, end.toISOString())
      const already = await ctx.db
        .selectFrom('outbox')
        .select('id')
        .where('account_id', '=', c.accountId)
        .where('purpose', '=', sql.lit(PURPOSE))
        .where('subject', 'like', `%${c.number}%`)
        .executeTakeFirst()
      if (already) return
      await notifyPreferred(ctx.db, ctx.clock, c.accountId, PURPOSE, message)
      sent++
    }
  )
  return sent
}
