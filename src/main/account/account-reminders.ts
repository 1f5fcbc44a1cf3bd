/**
 * Reminders main gives by itself, with or without a window: a line whose paid service ends soon and will not
 * renew by itself, and a saved card that expires within 30 days. Worked out from the account's lines, their
 * subscriptions and cards on sign-in, after a line changes and twice a day; each reminder is given once (the
 * store remembers which), as an `account.reminder` event the host turns into a notification.
 */
import { cardExpiresAt, cardExpiry } from '../../shared/billing/card-expiry'
import type { PayloadOf } from '../../shared/ipc/contract'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import type { KeyValueStore } from '../store/key-value-store'
import type { AccountService } from './account-service'

export type Reminder = PayloadOf<'account.reminder'>
const SHOWN_KEY = 'account.remindersShown'

interface LineView {
  readonly id: string
  readonly number: string | null
  readonly status: string
}
interface SubView {
  readonly coverage: { readonly state: string; readonly paidThrough: string | null }
  readonly autoRenew: { readonly enabled: boolean }
}
interface CardView {
  readonly id: string
  readonly last4: string
  readonly expMonth: number
  readonly expYear: number
}

/** What to remind of now (pure: the views in, the reminders out, each with a key that says when it is new). */
export function remindersFrom(
  lines: readonly { line: LineView; sub: SubView }[],
  cards: readonly CardView[],
  now: Date
): Reminder[] {
  const out: Reminder[] = []
  for (const { line, sub } of lines) {
    const until = sub.coverage.paidThrough
    if (sub.coverage.state === 'expiring_soon' && !sub.autoRenew.enabled && until)
      out.push({
        kind: 'service-ending',
        key: `service:${line.id}:${until}`,
        subject: line.number ?? '',
        date: until
      })
  }
  for (const c of cards) {
    const expires = cardExpiresAt(c.expMonth, c.expYear)
    if (cardExpiry(c, now) === 'expiring')
      out.push({
        kind: 'card-expiring',
        key: `card:${c.id}:${c.expYear}-${c.expMonth}`,
        subject: c.last4,
        date: expires.toISOString()
      })
  }
  return out
}

export class AccountReminders {
  constructor(
    private readonly account: AccountService,
    private readonly events: EventBus,
    private readonly store: KeyValueStore,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date()
  ) {}

  /** Looks again and tells each reminder not given before. Never throws (a reminder is not worth a failure). */
  async check(): Promise<void> {
    if (!this.account.state().signedIn) return
    try {
      const { lines } = await this.account.call('lines', undefined)
      const withSubs = await Promise.all(
        lines
          .filter((l) => l.status === 'in_service')
          .map(async (line) => ({ line, sub: await this.account.call('subscription', { lineId: line.id }) }))
      )
      const { paymentMethods } = await this.account.call('paymentMethods', undefined)
      const shown = this.shown()
      for (const r of remindersFrom(withSubs, paymentMethods, this.now())) {
        if (shown.includes(r.key)) continue
        shown.push(r.key)
        this.events.emit('account.reminder', r)
      }
      // Keep the memory small: the newest 200 keys are plenty for any account.
      this.store.set(SHOWN_KEY, shown.slice(-200))
    } catch (err) {
      this.log.warn({ err }, 'account reminders not checked')
    }
  }

  private shown(): string[] {
    const raw = this.store.get(SHOWN_KEY)
    return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : []
  }
}
