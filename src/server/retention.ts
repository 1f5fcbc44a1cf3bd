/**
 * The daily retention job: personal data the service no longer needs is deleted, each kind after its own period
 * (RETENTION; docs/service.md, "Retention", says why each). Nothing else reads these rows within the period: a
 * limit or check that needs history counts in `rate_limits`, `signin_throttle` or `devices` instead. The outbox
 * (the "told" marks of trial-notices.ts) is touched for closed accounts only, which have no line to tell.
 *
 * - ended sessions (revoked or expired: the app's name and the address last used), 90 days after they ended;
 * - one-time codes and tokens used or expired (their subject is an email, a number or a transfer), 30 days after;
 * - dongle challenges (serial, model, address), an hour after they expired, as issuing a new one sweeps them;
 * - trial requests never activated (name, email, billing address, password hash, address), 30 days after their
 *   last code expired;
 * - voicemail past its 30 days in every box (voicemail/retention.ts);
 * - cards removed from an account still stored at the processor (billing/card-deletion.ts);
 * - the messages of a closed account (the last one, "account closed", to the erased addresses, and any queued
 *   under its id after), 30 days after they were queued: by then each was sent or given up (the sender's ten
 *   attempts end within a day), and they name an address the closure erased.
 *
 * Every delete goes RETENTION_BATCH rows at a time, each batch its own statement, so a large backlog (the first
 * run on an old database) never holds a long transaction or lock.
 */
import { DAY, HOUR } from './clock'
import type { ServiceContext } from './context'
import { deleteRemovedCards } from './billing/card-deletion'
import { purgeOldEverywhere } from './voicemail/retention'

export const RETENTION = {
  endedSessionDays: 90,
  spentTokenDays: 30,
  expiredChallengeHours: 1,
  abandonedTrialDays: 30,
  closedAccountMessageDays: 30
} as const

export const RETENTION_BATCH = 500

export interface RetentionCounts {
  readonly sessions: number
  readonly oneTimeTokens: number
  readonly deviceChallenges: number
  readonly trialRequests: number
  readonly voicemail: number
  readonly cards: number
  readonly closedAccountMessages: number
}

/** Runs `step` (one batch, answering how many rows it deleted) until a batch comes back short. */
async function inBatches(step: () => Promise<{ numDeletedRows: bigint }>): Promise<number> {
  let total = 0
  for (;;) {
    const n = Number((await step()).numDeletedRows)
    total += n
    if (n < RETENTION_BATCH) return total
  }
}

export async function runRetention(ctx: ServiceContext): Promise<RetentionCounts> {
  const now = ctx.clock.now().getTime()
  const before = (ms: number) => new Date(now - ms).toISOString()
  const sessionsEnded = before(RETENTION.endedSessionDays * DAY)
  const tokensSpent = before(RETENTION.spentTokenDays * DAY)
  const challengesExpired = before(RETENTION.expiredChallengeHours * HOUR)
  const trialsAbandoned = before(RETENTION.abandonedTrialDays * DAY)
  const closedMessagesQueued = before(RETENTION.closedAccountMessageDays * DAY)

  const sessions = await inBatches(() =>
    ctx.db
      .deleteFrom('sessions')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('sessions')
          .select('id')
          .where((w) => w.or([w('revoked_at', '<', sessionsEnded), w('expires_at', '<', sessionsEnded)]))
          .limit(RETENTION_BATCH)
      )
      .executeTakeFirst()
  )
  const oneTimeTokens = await inBatches(() =>
    ctx.db
      .deleteFrom('one_time_tokens')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('one_time_tokens')
          .select('id')
          .where((w) => w.or([w('consumed_at', '<', tokensSpent), w('expires_at', '<', tokensSpent)]))
          .limit(RETENTION_BATCH)
      )
      .executeTakeFirst()
  )
  const deviceChallenges = await inBatches(() =>
    ctx.db
      .deleteFrom('device_challenges')
      .where('challenge_hash', 'in', (eb) =>
        eb
          .selectFrom('device_challenges')
          .select('challenge_hash')
          .where('expires_at', '<', challengesExpired)
          .limit(RETENTION_BATCH)
      )
      .executeTakeFirst()
  )
  const trialRequests = await inBatches(() =>
    ctx.db
      .deleteFrom('trial_requests')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('trial_requests')
          .select('id')
          .where('consumed_at', 'is', null)
          .where('expires_at', '<', trialsAbandoned)
          .limit(RETENTION_BATCH)
      )
      .executeTakeFirst()
  )
  const closedAccountMessages = await inBatches(() =>
    ctx.db
      .deleteFrom('outbox')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .innerJoin('accounts', 'accounts.id', 'outbox.account_id')
          .select('outbox.id')
          .where('accounts.status', '=', 'closed')
          .where('outbox.created_at', '<', closedMessagesQueued)
          .limit(RETENTION_BATCH)
      )
      .executeTakeFirst()
  )
  const voicemail = await purgeOldEverywhere(ctx, RETENTION_BATCH)
  const cards = await deleteRemovedCards(ctx)
  return { sessions, oneTimeTokens, deviceChallenges, trialRequests, voicemail, cards, closedAccountMessages }
}
