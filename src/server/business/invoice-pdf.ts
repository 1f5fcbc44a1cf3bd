/**
 * An invoice as a PDF in one of the app's languages. What the invoice says is fixed at issue (InvoiceContent,
 * stored with it and as immutable as its number); this only words and lays it out, so the same invoice read in
 * Persian and in French says the same things, and the same language always gives the same bytes (the PDF's
 * dates are the issue time). Each line's description is worded from its code and values (../pdf/line-words.ts);
 * an invoice issued before lines had codes shows its lines' stored English text, as issued.
 */
import { z } from 'zod'
import type { LanguageCode } from '../../shared/i18n/languages'
import { tablePdf } from '../billing/tabular-files'
import { lineDescription } from '../pdf/line-words'
import { pdfWords } from '../pdf/words'

export const invoiceContent = z.object({
  seller: z.object({ name: z.string(), address: z.string(), taxId: z.string(), email: z.string() }),
  billTo: z.object({ company: z.string(), name: z.string(), address: z.string().nullable() }),
  accountId: z.string(),
  zone: z.string(),
  currency: z.string(),
  /**
   * Local dates in `zone`; `owed` in minor units (a refund is negative). `code` and `params` say what the line is
   * (a ledger memo code or a card line's code); invoices issued before them have only `memo`, English.
   */
  lines: z.array(
    z.object({
      date: z.string(),
      code: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      memo: z.string(),
      owed: z.number().int()
    })
  ),
  total: z.number().int()
})
export type InvoiceContent = z.infer<typeof invoiceContent>

export interface IssuedInvoice {
  readonly number: string
  readonly period: string
  readonly issuedAt: string
  readonly content: InvoiceContent
}

export function invoicePdf(inv: IssuedInvoice, language: LanguageCode): Promise<Buffer> {
  const w = pdfWords(language)
  const c = inv.content
  const seller = [
    c.seller.name,
    c.seller.address,
    w.t('seller.taxId', { taxId: c.seller.taxId }),
    c.seller.email
  ]
  return tablePdf({
    language,
    createdAt: new Date(inv.issuedAt),
    title: w.t('invoice.title', { number: inv.number }),
    intro: [
      w.t('invoice.issued', {
        date: w.date(inv.issuedAt.slice(0, 10)),
        period: w.month(inv.period),
        zone: c.zone
      }),
      w.t('invoice.from', { seller: seller.join(', ') }),
      w.t('invoice.billTo', { company: c.billTo.company, name: c.billTo.name }),
      ...(c.billTo.address ? [c.billTo.address] : []),
      w.t('invoice.account', { account: c.accountId })
    ],
    // The description from 95 pt to the amount; a longer one (a card payment's, in French) wraps.
    columns: [40, 95, 470],
    header: [w.t('table.date'), w.t('table.description'), w.t('table.amount')],
    rows: c.lines.map((l) => [w.date(l.date), lineDescription(w, l), w.money(l.owed, c.currency)]),
    footer: [['', w.t('table.total'), w.money(c.total, c.currency)]]
  })
}
