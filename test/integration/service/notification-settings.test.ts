/**
 * The account's notice settings are honoured by what the service sends, on SQLite and PostgreSQL: a renewal
 * reminder and a card warning go only to accounts that keep them on, a receipt goes regardless; and contact
 * details refuse bad input field by field (empty name, malformed phone, a postal code the country does not use,
 * oversized) without changing the account.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { DAY } from '../../../src/server/clock'
import { CARDS, renew, saveCard, subscription } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { mailbox, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('notice settings on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  it('sends renewal reminders and card warnings only to accounts that keep them on; receipts always', async () => {
    const quiet = await trialLine(svc)
    const keen = await trialLine(svc)
    const off = await svc.api<{ notifications: Record<string, boolean> }>(
      'PATCH',
      '/v1/account/notifications',
      { billing: false, cardExpiring: false },
      quiet.token
    )
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect(off.body.notifications).toMatchObject({
      billing: false,
      cardExpiring: false,
      paymentProblems: true
    })

    const now = svc.clock.now()
    const later = new Date(now.getTime() + 400 * DAY)
    for (const line of [quiet, keen]) {
      await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
      const pm = await saveCard(svc, line.token, {
        ...CARDS.ok,
        expMonth: later.getUTCMonth() + 1,
        expYear: later.getUTCFullYear()
      })
      const on = await svc.api(
        'PUT',
        `/v1/lines/${line.lineId}/auto-renew`,
        { enabled: true, paymentMethodId: pm },
        line.token
      )
      expect(on.status, JSON.stringify(on.body)).toBe(200)
      // The card ages on file until it expires before the renewal.
      await svc.service.ctx.db
        .updateTable('payment_methods')
        .set({ exp_month: now.getUTCMonth() + 1, exp_year: now.getUTCFullYear() })
        .where('id', '=', pm)
        .execute()
    }
    const through = new Date((await subscription(svc, keen.token, keen.lineId)).coverage.paidThrough ?? '')
    svc.clock.set(new Date(through.getTime() - 5 * DAY))
    await runAutoRenew(svc.service.ctx)

    const purposes = async (email: string) => (await mailbox(svc, email)).map((m) => m.purpose)
    const keenMail = await purposes(keen.email)
    expect(keenMail).toContain('renewal-reminder')
    expect(keenMail).toContain('card-expiring')
    const quietMail = await purposes(quiet.email)
    expect(quietMail).not.toContain('renewal-reminder')
    expect(quietMail).not.toContain('card-expiring')
    expect(quietMail).toContain('receipt')
  })

  it('refuses bad contact details by field and changes nothing', async () => {
    const line = await trialLine(svc)
    const before = await svc.api<{ contact: unknown }>('GET', '/v1/account', undefined, line.token)
    const address = {
      street: '5 Elm St',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US'
    }
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: '' }, 'name', 'required'],
      [{ phone: '12' }, 'phone', 'bad-format'],
      [{ billingAddress: { ...address, postalCode: 'K1A 0B1' } }, 'billingAddress.postalCode', 'bad-format'],
      [{ billingAddress: { ...address, country: 'CA' } }, 'billingAddress.postalCode', 'bad-format'],
      [{ company: 'x'.repeat(101) }, 'company', 'too-long']
    ]
    for (const [patch, path, code] of cases) {
      const r = await svc.api<{ error: { issues: { path: string; code: string }[] } }>(
        'PATCH',
        '/v1/account/contact',
        { name: 'Grace Hopper', ...patch },
        line.token
      )
      expect(r.status, JSON.stringify(patch)).toBe(400)
      expect(r.body.error.issues).toContainEqual(expect.objectContaining({ path, code }))
    }
    const after = await svc.api<{ contact: unknown }>('GET', '/v1/account', undefined, line.token)
    expect(after.body.contact).toEqual(before.body.contact)
    // A Canadian postal code in Canada, spaced or not, is fine.
    const ok = await svc.api<{ contact: { billingAddress: { postalCode: string } } }>(
      'PATCH',
      '/v1/account/contact',
      { billingAddress: { ...address, region: 'ON', postalCode: 'k1a0b1', country: 'CA' } },
      line.token
    )
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
  })
})
