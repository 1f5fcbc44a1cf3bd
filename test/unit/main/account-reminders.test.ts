/** Reminders main gives by itself: which ones, from the account's views, and each only once. */
import { describe, expect, it } from 'vitest'
import { AccountReminders, remindersFrom } from '../../../src/main/account/account-reminders'
import type { AccountService } from '../../../src/main/account/account-service'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { memoryStore } from '../../../src/main/store/key-value-store'

const NOW = new Date('2026-12-02T12:00:00Z')
const line = { id: 'lin_1', number: '+12015550100', status: 'in_service' }
const ending = {
  coverage: { state: 'expiring_soon', paidThrough: '2026-12-20T00:00:00.000Z' },
  autoRenew: { enabled: false }
}
const card = (expMonth: number, expYear: number) => ({ id: 'pm_1', last4: '4242', expMonth, expYear })

describe('which reminders', () => {
  it('reminds of service ending only when it will not renew by itself', () => {
    expect(remindersFrom([{ line, sub: ending }], [], NOW)).toEqual([
      {
        kind: 'service-ending',
        key: 'service:lin_1:2026-12-20T00:00:00.000Z',
        subject: '+12015550100',
        date: ending.coverage.paidThrough
      }
    ])
    expect(remindersFrom([{ line, sub: { ...ending, autoRenew: { enabled: true } } }], [], NOW)).toEqual([])
    expect(
      remindersFrom(
        [{ line, sub: { ...ending, coverage: { ...ending.coverage, state: 'active' } } }],
        [],
        NOW
      )
    ).toEqual([])
  })

  it('reminds of a card in its last 30 days, not before and not once expired', () => {
    expect(remindersFrom([], [card(12, 2026)], NOW)).toMatchObject([
      { kind: 'card-expiring', subject: '4242', date: '2026-12-31T23:59:59.999Z' }
    ])
    expect(remindersFrom([], [card(1, 2027)], NOW)).toEqual([])
    expect(remindersFrom([], [card(11, 2026)], NOW)).toEqual([])
  })
})

describe('giving them', () => {
  const account = (signedIn: boolean) =>
    ({
      state: () => ({ signedIn }),
      call: async (route: string) => {
        if (route === 'lines') return { lines: [line, { ...line, id: 'lin_2', status: 'pending' }] }
        if (route === 'subscription') return ending
        if (route === 'paymentMethods') return { paymentMethods: [card(12, 2026)] }
        throw new Error(route)
      }
    }) as unknown as AccountService

  it('gives each once, across checks and restarts on the same store', async () => {
    const store = memoryStore()
    const events = new EventBus(silentLogger())
    const seen: string[] = []
    events.subscribe((name, p) => name === 'account.reminder' && seen.push((p as { key: string }).key))
    await new AccountReminders(account(true), events, store, silentLogger(), () => NOW).check()
    await new AccountReminders(account(true), events, store, silentLogger(), () => NOW).check()
    expect(seen).toEqual(['service:lin_1:2026-12-20T00:00:00.000Z', 'card:pm_1:2026-12'])
  })

  it('stays quiet when signed out, and when the service does not answer', async () => {
    const events = new EventBus(silentLogger())
    const seen: unknown[] = []
    events.subscribe((name) => name === 'account.reminder' && seen.push(name))
    await new AccountReminders(account(false), events, memoryStore(), silentLogger(), () => NOW).check()
    const broken = { state: () => ({ signedIn: true }), call: async () => Promise.reject(new Error('down')) }
    await new AccountReminders(
      broken as unknown as AccountService,
      events,
      memoryStore(),
      silentLogger(),
      () => NOW
    ).check()
    expect(seen).toEqual([])
  })
})
