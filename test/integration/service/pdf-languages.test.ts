/**
 * The PDFs people get, read in their language (issue 25) and checked by an independent reader (poppler's pdftotext,
 * test/support/pdftotext.ts): one invoice downloaded in English, French, Croatian and Persian says the same
 * things in each, with the seller's legal details from the service's configuration (DIALTONE_SELLER_*); the
 * Persian text comes back in reading order (the invoice number after the word "invoice", not reversed); the
 * same language gives the same bytes again; a download changes nothing of the account, while the invoice emailed
 * and the signed statement fulfilled are in the language its people chose (Profile, "Emails and texts in"); the
 * statement PDF follows the language asked for.
 * Every line's description is worded in the PDF's language too (a call and a card renewal on the invoice, a
 * top-up on the statement), with no English memo left in the Persian and French ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fulfilDocument } from '../../../src/server/business/documents'
import { issueInvoice } from '../../../src/server/business/invoices'
import { accountZone } from '../../../src/server/billing/balance'
import { localDate } from '../../../src/server/billing/proration'
import { newId } from '../../../src/server/secrets'
import { pdfToText } from '../../support/pdftotext'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

const SELLER = {
  DIALTONE_SELLER_NAME: 'Société Exemple Télécom SARL',
  DIALTONE_SELLER_ADDRESS: "12 rue de l'Exemple, 75001 Paris, FR",
  DIALTONE_SELLER_TAX_ID: 'FR12345678901',
  DIALTONE_SELLER_EMAIL: 'facturation@exemple.test'
}

type File = { filename: string; contentBase64: string }

describe.each(BACKENDS)('PDFs in the reader’s language on %s', (backend) => {
  let svc: TestService
  let acme: TrialLine
  let invoiceId = ''
  let number = ''
  const download = async (language: string): Promise<Buffer> => {
    const r = await svc.api<File>(
      'GET',
      `/v1/business/invoices/${invoiceId}/pdf?language=${language}`,
      undefined,
      acme.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return Buffer.from(r.body.contentBase64, 'base64')
  }
  const text = async (language: string): Promise<string> => pdfToText(await download(language)).join('\n')

  beforeAll(async () => {
    svc = await startTestService(backend, {}, SELLER)
    acme = await trialLine(svc, { accountType: 'business', name: 'Ana Kovačić' })
    await svc.service.ctx.db
      .insertInto('balance_entries')
      .values({
        id: newId('bal'),
        account_id: acme.accountId,
        kind: 'usage',
        amount_minor: -1234,
        currency: 'USD',
        source_ref: 'test-usage-pdf',
        memo: 'Call to +33140000000, 12 min',
        memo_code: 'call',
        memo_params: JSON.stringify({ number: '+33140000000', minutes: 12 }),
        created_at: '2026-10-15T12:00:00.000Z'
      })
      .execute()
    // An automatic renewal charged to a saved card that month: a card line of the invoice.
    const db = svc.service.ctx.db
    const plan = await db
      .selectFrom('plans')
      .select('id')
      .where('code', '=', 'line-1m')
      .executeTakeFirstOrThrow()
    const card = newId('pm')
    await db
      .insertInto('payment_methods')
      .values({
        id: card,
        account_id: acme.accountId,
        gateway_token: 'tok_test_pdf',
        brand: 'visa',
        last4: '4242',
        exp_month: 12,
        exp_year: 2030,
        is_default: 1,
        created_at: '2026-10-01T00:00:00.000Z',
        removed_at: null
      })
      .execute()
    await db
      .insertInto('renewal_charges')
      .values({
        id: 'ch_test_pdf_renewal',
        account_id: acme.accountId,
        line_id: acme.lineId,
        plan_id: plan.id,
        grant_source: 'auto_renew:test-pdf',
        amount_minor: 1000,
        currency: 'USD',
        payment_method_id: card,
        created_at: '2026-10-20T12:00:00.000Z'
      })
      .execute()
    // A top-up today: a line of today's statement.
    await db
      .insertInto('balance_entries')
      .values({
        id: newId('bal'),
        account_id: acme.accountId,
        kind: 'top_up',
        amount_minor: 2000,
        currency: 'USD',
        source_ref: 'test-topup-pdf',
        memo: 'Top-up by card ending 4242',
        memo_code: 'top-up',
        memo_params: JSON.stringify({ last4: '4242' }),
        created_at: svc.service.ctx.clock.now().toISOString()
      })
      .execute()
    const inv = await issueInvoice(svc.service.ctx, acme.accountId, '2026-10', 'operator:test')
    invoiceId = inv.id
    number = inv.number
  })
  afterAll(async () => {
    await svc.close()
  })

  it('words one invoice in each language with the configured seller, Persian in reading order', async () => {
    const seller = `${SELLER.DIALTONE_SELLER_NAME}, ${SELLER.DIALTONE_SELLER_ADDRESS}`
    const en = await text('en')
    expect(en).toContain(`Invoice ${number}`)
    expect(en).toContain(`From: ${seller}, tax ID FR12345678901, facturation@exemple.test`)
    expect(en).toContain('Bill to: Ana Kovačić, attn. Ana Kovačić')
    expect(en).toMatch(/Total\s+22\.34 USD/)
    expect(en).toContain('Call to +33140000000, 12 min')
    expect(en).toContain('Automatic renewal: Line service, monthly for +1')
    expect(en).toContain('paid by card ending 4242')
    expect(en).not.toMatch(/Dialtone Communications|TEST SELLER/)

    const fr = await text('fr')
    expect(fr).toContain(`Facture ${number}`)
    expect(fr).toContain(`Vendeur : ${seller}, n° fiscal FR12345678901, facturation@exemple.test`)
    expect(fr).toContain('octobre 2026')
    expect(fr).toContain('12,34 USD')
    expect(fr).toContain('Montant')
    // The lines in French: the call, the card renewal (its description wraps), and no English memo.
    expect(fr).toContain('Appel vers +33140000000, 12 min')
    expect(fr).toContain('Renouvellement automatique : Service de ligne, mensuel pour +1')
    expect(fr.replace(/\s+/g, ' ')).toContain('payé par la carte se terminant par 4242')
    expect(fr).not.toMatch(/Call to|Automatic renewal|paid by card|Line service/)

    const hr = await text('hr')
    expect(hr).toContain(`Račun ${number}`)
    expect(hr).toContain(`Prodavatelj: ${seller}, porezni broj FR12345678901`)
    expect(hr).toContain('Kupac: Ana Kovačić, n/p Ana Kovačić')
    expect(hr).toContain('12,34 USD')

    // pdftotext lays a line's Persian and Latin pieces out by the page's main direction, but each Persian piece
    // must read in logical order: the words of a phrase in reading order, never reversed.
    const fa = await text('fa')
    for (const phrase of ['صورت حساب', 'صادرشده در', 'تاریخ ها به وقت', 'فروشنده', 'شناسهٔ مالیاتی', 'جمع کل'])
      expect(fa).toContain(phrase)
    for (const reversed of ['حساب صورت', 'در صادرشده', 'وقت به ها تاریخ', 'کل جمع'])
      expect(fa).not.toContain(reversed)
    for (const value of [
      number,
      seller,
      'FR12345678901',
      'facturation@exemple.test',
      'Ana Kovačić',
      '۱۲٫۳۴ USD'
    ])
      expect(fa).toContain(value)
    expect(fa).toContain('اکتبر')
    for (const phrase of ['تماس با', 'دقیقه', 'تمدید خودکار', 'سرویس خط', 'پرداخت با کارتی', '۲۲٫۳۴ USD'])
      expect(fa).toContain(phrase)
    expect(fa).not.toMatch(/Call to|Automatic renewal|paid by card|Line service/)
  })

  it('gives the same bytes for the same language; emails and certifies in the account’s language, not the last download’s', async () => {
    expect((await download('fa')).equals(await download('fa'))).toBe(true)
    expect((await download('fr')).equals(await download('fa'))).toBe(false)
    /** Sends the invoice again; every invoice email of the account so far, with its PDF's text. */
    const emailed = async () => {
      const email = await svc.api('POST', `/v1/business/invoices/${invoiceId}/email`, undefined, acme.token)
      expect(email.status).toBe(200)
      const sent = await svc.service.ctx.db
        .selectFrom('outbox')
        .select(['subject', 'attachments'])
        .where('account_id', '=', acme.accountId)
        .where('purpose', '=', 'invoice')
        .execute()
      return sent.map((m) => {
        const [pdf] = JSON.parse(m.attachments ?? '[]') as { content: string }[]
        return { subject: m.subject, text: pdfToText(Buffer.from(pdf?.content ?? '', 'base64')).join('\n') }
      })
    }
    // The last download was Persian, but a download is one reader's view: the account still reads English
    // (the invoice as issued, and again now).
    const before = await emailed()
    expect(before).toHaveLength(2)
    for (const m of before) {
      expect(m.subject).toBe(`Your Dialtone invoice ${number}`)
      expect(m.text).toContain(`Invoice ${number}`)
    }
    // Its people choose Persian in Profile: the invoice's email and its PDF are Persian from then on.
    const chose = await svc.api('PUT', '/v1/account/language', { language: 'fa' }, acme.token)
    expect(chose.status, JSON.stringify(chose.body)).toBe(200)
    const after = await emailed()
    expect(after).toHaveLength(3)
    const persian = after.filter((m) => m.subject === `صورت‌حساب Dialtone شما \u2068${number}\u2069`)
    expect(persian).toHaveLength(1)
    expect(persian[0]?.text).toContain('صورت حساب')
    expect(persian[0]?.text).toContain(number)

    const asked = await svc.api<{ requests: { id: string }[] }>(
      'POST',
      '/v1/business/documents',
      { kind: 'signed-statement', from: '2026-10-01', to: '2026-10-31' },
      acme.token
    )
    expect(asked.status, JSON.stringify(asked.body)).toBe(201)
    const id = asked.body.requests[0]?.id ?? ''
    await fulfilDocument(svc.service.ctx, id, { id: 'opr_test', name: 'Test Operator' })
    const doc = await svc.api<File>('GET', `/v1/business/documents/${id}/file`, undefined, acme.token)
    const signed = pdfToText(Buffer.from(doc.body.contentBase64, 'base64')).join('\n')
    expect(signed).toContain('گردش حساب امضاشده')
    expect(signed).toContain('گواهی می کند که این رونوشتی درست از دفتر حساب در این دوره است')
    expect(signed).toContain(SELLER.DIALTONE_SELLER_NAME)
    expect(signed).toContain('Test Operator')
    expect(signed).toContain('تماس با')
    expect(signed).not.toContain('Call to')
  })

  it('words the statement PDF in the language asked for', async () => {
    const today = localDate(svc.service.ctx.clock.now(), await accountZone(svc.service.ctx, acme.accountId))
    const pdf = async (language: string) => {
      const q = `from=${today}&to=${today}&format=pdf&language=${language}`
      const r = await svc.api<File>('GET', `/v1/balance/statement/export?${q}`, undefined, acme.token)
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      return pdfToText(Buffer.from(r.body.contentBase64, 'base64')).join('\n')
    }
    const fa = await pdf('fa')
    expect(fa).toContain('گردش حساب')
    expect(fa).toContain('موجودی در آغاز دوره')
    expect(fa).toContain('نوع')
    expect(fa).toContain('شارژ با کارتی')
    expect(fa).not.toContain('Top-up by card')
    const fr = await pdf('fr')
    expect(fr).toContain('Recharge par la carte se terminant par 4242')
    expect(fr).not.toContain('Top-up by card')
    const ro = await pdf('ro')
    expect(ro).toContain('Extras de cont,')
    expect(ro).toContain('Sold la sfârșit')
    const sl = await pdf('sl')
    expect(sl).toContain('Izpisek,')
    expect(sl).toContain('Stanje na začetku')
  })
})
