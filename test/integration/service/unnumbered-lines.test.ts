/**
 * An account with several lines without a number (pending: none assigned yet; a person can own several dongles)
 * tells them apart in everything the service sends about them, as the app does (LineCard.tsx): each is named by
 * its label when it has one, else by its dongle's serial, in the receipts of both renewal paths, the auto-renew
 * reminder, the renewal, the failed payments and the dunning cancel, and on the invoice's card lines, in English
 * and in Persian (the name isolated in Persian text), the invoice PDF drawing them in all six; an order stored before names were kept is invoiced with the
 * line's name as it is now. On SQLite and PostgreSQL, read through the dev mailbox.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { DAY } from '../../../src/server/clock'
import { cardLines } from '../../../src/server/business/invoice-card-lines'
import { invoiceContent, invoicePdf } from '../../../src/server/business/invoice-pdf'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { lineDescription } from '../../../src/server/pdf/line-words'
import { pdfWords } from '../../../src/server/pdf/words'
import { CARDS, renew, saveCard, subscription } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { pdfToText } from '../../support/pdftotext'
import { addRetailLine, mailbox, trialLine } from '../../support/service-flows'

const strip = (s: string | null | undefined) => (s ?? '').replace(/[\u2066-\u2069]/g, '')

/** What each message names the two lines by, per language: `desk` is labeled "Front desk", `bare` has no label. */
const WORDS = {
  en: {
    receipt: (name: string) => `\n  - Line service, monthly for ${name}\n`,
    desk: 'the line “Front desk”',
    bare: (serial: string) => `the line on dongle ${serial}`,
    reminder: (name: string) => new RegExp(`^Your line ${name} renews on \\d{4}-\\d{2}-\\d{2}$`),
    renewed: (name: string) => `Your line ${name} was renewed`,
    failed: (name: string) => `We could not renew your line ${name}`,
    dunning: (name: string) => `Auto-renew for your line ${name} was canceled`,
    deskRef: '“Front desk”',
    bareRef: (serial: string) => `on dongle ${serial}`,
    invoice: (name: string) => `Line service, monthly for ${name}, paid by card ending 4242`,
    autoInvoice: (name: string) =>
      `Automatic renewal: Line service, monthly for ${name}, paid by card ending 4242`
  },
  fa: {
    receipt: (name: string) => `\n  - سرویس خط، ماهانه برای ${name}\n`,
    desk: 'خط «Front desk»',
    bare: (serial: string) => `خط دانگل ${serial}`,
    reminder: (name: string) => new RegExp(`^خط ${name} شما در [۰-۹/]+ تمدید می‌شود$`),
    renewed: (name: string) => `خط ${name} شما تمدید شد`,
    failed: (name: string) => `نتوانستیم خط ${name} شما را تمدید کنیم`,
    dunning: (name: string) => `تمدید خودکار خط ${name} شما لغو شد`,
    deskRef: '«Front desk»',
    bareRef: (serial: string) => `دانگل ${serial}`,
    invoice: (name: string) => `سرویس خط، ماهانه برای ${name}، پرداخت با کارتی که به 4242 ختم می‌شود`,
    autoInvoice: (name: string) =>
      `تمدید خودکار: سرویس خط، ماهانه برای ${name}، پرداخت با کارتی که به 4242 ختم می‌شود`
  }
} as const

describe.each(BACKENDS)('lines without a number named in messages and invoices on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  /** The line's number taken away (none assigned yet), a label given if any; its dongle's serial. */
  async function unnumbered(token: string, lineId: string, label?: string): Promise<string> {
    const db = svc.service.ctx.db
    await db.updateTable('lines').set({ phone_number: null }).where('id', '=', lineId).execute()
    if (label) expect((await svc.api('PUT', `/v1/lines/${lineId}/label`, { label }, token)).status).toBe(200)
    const row = await db
      .selectFrom('lines')
      .innerJoin('devices', 'devices.id', 'lines.device_id')
      .select('devices.serial')
      .where('lines.id', '=', lineId)
      .executeTakeFirstOrThrow()
    return row.serial
  }

  for (const language of ['en', 'fa'] as const)
    it(`${language}: names each line by its label or its dongle’s serial in receipts, renewal mails and the invoice`, async () => {
      const w = WORDS[language]
      const owner = await trialLine(svc, { language })
      const second = await addRetailLine(svc, owner.token)
      await unnumbered(owner.token, second.lineId, 'Front desk')
      const serial = await unnumbered(owner.token, owner.lineId)
      const pm = await saveCard(svc, owner.token)
      // The desk line (pending, never activated) twice: the general path first (no subscription yet), then the
      // short one (renewal-fast.ts), whose receipt is worded before its one statement.
      for (const lineId of [second.lineId, second.lineId, owner.lineId]) {
        const paid = await renew(
          svc,
          owner.token,
          lineId,
          'line-1m@1',
          { paymentMethodId: pm },
          { autoRenew: true }
        )
        expect(paid.status, JSON.stringify(paid.body)).toBe(201)
        // The answer is the priced item as before: the name stays with the order.
        expect(paid.body.items[0]).not.toHaveProperty('line')
      }
      const receipts = (await mailbox(svc, owner.email)).filter((m) => m.purpose === 'receipt')
      const naming = (name: string) => receipts.filter((r) => strip(r.body).includes(w.receipt(name)))
      expect([naming(w.desk).length, naming(w.bare(serial)).length, receipts.length]).toEqual([2, 1, 3])

      // The line without a label renews on a card that fails: dunning to the end; the desk line renews.
      const failing = await saveCard(svc, owner.token, CARDS.failsLater)
      const put = { enabled: true, paymentMethodId: failing }
      expect((await svc.api('PUT', `/v1/lines/${owner.lineId}/auto-renew`, put, owner.token)).status).toBe(
        200
      )
      const through = async (lineId: string) =>
        new Date((await subscription(svc, owner.token, lineId)).coverage.paidThrough ?? '').getTime()
      const [desk, bare] = [await through(second.lineId), await through(owner.lineId)]
      const ctx = svc.service.ctx
      // Each inside its monthly reminder window (its last week), then at each renewal, then the dunning retries.
      const steps = [desk - 5 * DAY, bare - 5 * DAY, desk - DAY + 1000, bare - DAY + 1000]
      for (const d of ctx.config.billing.dunningRetryDays) steps.push(bare + d * DAY + 1000)
      for (const at of steps.sort((a, b) => a - b)) {
        svc.clock.set(new Date(at))
        await runAutoRenew(ctx)
      }
      const mails = await mailbox(svc, owner.email)
      const subjects = (purpose: string) =>
        mails.filter((m) => m.purpose === purpose).map((m) => strip(m.subject))
      const deskRef = w.deskRef
      const bareRef = w.bareRef(serial)
      expect(subjects('renewal-reminder').some((s) => w.reminder(deskRef).test(s))).toBe(true)
      expect(subjects('renewal-reminder').some((s) => w.reminder(bareRef).test(s))).toBe(true)
      expect(subjects('renewed')).toContain(w.renewed(deskRef))
      expect(new Set(subjects('renewal-failed'))).toEqual(new Set([w.failed(bareRef)]))
      expect(subjects('dunning-canceled')).toEqual([w.dunning(bareRef)])
      for (const m of mails.filter((x) => x.purpose !== 'trial-code')) {
        expect(strip(`${m.subject}\n${m.body}`)).not.toMatch(/no number|بدون شماره|undefined|null/)
        // The line's own name, not two letters of it: a random order id in a receipt's subject can hold "MJ".
        if (language === 'fa' && (m.subject.includes('Front desk') || m.subject.includes(serial)))
          expect(m.subject).toMatch(new RegExp(`\u2068(Front desk|${serial})\u2069`))
      }

      // The invoice's card lines: the checkouts and the automatic renewal, each line by its name.
      const described = async () =>
        (await cardLines(ctx, owner.accountId, '2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z')).map(
          (l) => strip(lineDescription(pdfWords(language), l))
        )
      const invoice = await described()
      expect(invoice.filter((l) => l === w.invoice(w.desk))).toHaveLength(2)
      expect(invoice).toContain(w.invoice(w.bare(serial)))
      expect(invoice).toContain(w.autoInvoice(w.desk))
      expect(invoice.join('\n')).not.toMatch(/your line|خط شما/)

      // Drawn on the invoice PDF in every language, as an independent reader (pdftotext) reads it.
      const card = await cardLines(
        ctx,
        owner.accountId,
        '2000-01-01T00:00:00.000Z',
        '2100-01-01T00:00:00.000Z'
      )
      const content = invoiceContent.parse({
        seller: { name: 'S', address: 'A', taxId: 'T', email: 'e@x.test' },
        billTo: { company: 'C', name: 'N', address: null },
        ...{ accountId: owner.accountId, zone: 'UTC', currency: 'USD', total: 0 },
        lines: card.map((l) => ({
          date: l.at.slice(0, 10),
          code: l.code,
          params: l.params,
          memo: l.memo,
          owed: l.owed
        }))
      })
      for (const { code } of LANGUAGES) {
        const issued = { number: 'INV-1', period: '2027-01', issuedAt: '2027-02-01T00:00:00.000Z', content }
        const text = pdfToText(await invoicePdf(issued, code)).join(' ')
        expect(text, code).toContain('Front desk')
        expect(text, code).toContain(serial)
      }

      // An order stored before names were kept (no `line` in its items) is invoiced with the line's name now.
      const orders = await ctx.db
        .selectFrom('checkout_orders')
        .select(['id', 'items'])
        .where('account_id', '=', owner.accountId)
        .execute()
      for (const o of orders) {
        const stored = JSON.parse(o.items) as { items: Record<string, unknown>[] }
        for (const i of stored.items) delete i.line
        await ctx.db
          .updateTable('checkout_orders')
          .set({ items: JSON.stringify(stored) })
          .where('id', '=', o.id)
          .execute()
      }
      expect(await described()).toEqual(invoice)
    })
})
