/**
 * The messages' words (src/server/mail/locales): every language Dialtone speaks has every key the English catalog
 * has, no other, each with the same placeholders, translated (not the English left in place); the app's own words
 * a message quotes (screen and button names) are the app's in that language (src/renderer/src/i18n/locales), and
 * the subjects the app's screens name ("Reset your Dialtone password", the invitation's) are the subjects sent.
 * Values are formatted for the language (Persian digits) and isolated, codes stay as they are, and English keeps
 * the exact text it always had.
 */
import { describe, expect, it } from 'vitest'
import { expectCatalogueComplete } from '../../support/catalogue-checks'
import { LANGUAGES, type LanguageCode } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { MAIL_CATALOGS, mailWords } from '../../../src/server/mail/words'
import { templates } from '../../../src/server/mail/templates'
import { billingNotices, declineWord, offerName, receiptLines } from '../../../src/server/billing/notices'
import { pdfWords } from '../../../src/server/pdf/words'

const strip = (s: string) => s.replace(/[\u2066-\u2069]/g, '')

type AppWords = {
  account: { title: string; signIn: string; reset: { open: string; code: string; hint: string } }
  business: { join: { open: string; hint: string }; tab: string }
  emails: { confirm: { title: string } }
  transfers: { title: string; approveTitle: string }
  help: { title: string }
  cards: { replace: string; title: string }
  trial: { choose: string }
  account_sections?: never
}
const app = (code: LanguageCode) =>
  RESOURCES[code] as unknown as AppWords & {
    account: { sections: { overview: string; billing: string } }
  }

describe('message words', () => {
  it('exist for every language Dialtone speaks', () => {
    expect(Object.keys(MAIL_CATALOGS).sort()).toEqual(LANGUAGES.map((l) => l.code).sort())
  })

  for (const { code } of LANGUAGES) {
    it(`${code}: every key, the same placeholders, translated`, () => {
      expectCatalogueComplete(MAIL_CATALOGS, code, (text) => /[a-z]{4} [a-z]/i.test(text))
    })

    it(`${code}: quotes the app's own words and names the subjects the app names`, () => {
      const a = app(code)
      const c = MAIL_CATALOGS[code]
      for (const word of [a.account.title, a.business.join.open, a.account.signIn])
        expect(c['invite.join'], `${code} ${word}`).toContain(word)
      for (const word of [a.account.title, a.account.reset.open, a.account.signIn, a.account.reset.code])
        expect(c['reset.body'], `${code} ${word}`).toContain(word)
      expect(c['verify.body']).toContain(a.emails.confirm.title)
      expect(c['transfer.body']).toContain(a.transfers.title)
      expect(c['transfer.body']).toContain(a.transfers.approveTitle)
      expect(c['invite.expired.support']).toContain(a.help.title)
      expect(c['support.after']).toContain(a.help.title)
      expect(c['cardExpires.body']).toContain(a.cards.replace)
      expect(c['trialEnding.body']).toContain(a.trial.choose)
      expect(c['trialEnding.body']).toContain(a.account.sections.overview)
      expect(c['failed.retry']).toContain(a.account.sections.billing)
      // The reset screen's hint and the join screen's name the email by its subject, in the same language.
      expect(a.account.reset.hint, code).toContain(c['reset.subject'])
      const inviteSubject = c['invite.subject'].split('{company}')
      for (const part of inviteSubject.map((p) => p.trim()).filter(Boolean))
        expect(a.business.join.hint, code).toContain(part)
    })
  }

  it('keeps English exactly as it was: no isolates, ISO dates', () => {
    const t = templates('en')
    expect(t.memberInvitation('Acme', 'billing', 'dtx_TOKEN')).toEqual({
      subject: 'You are invited to Acme on Dialtone',
      body:
        'Acme invited you to its Dialtone account as billing (balance, payments, invoices and documents).\n\n' +
        'To join: in Dialtone, open "Account" and choose "I was invited to a business account" (below "Sign in"; ' +
        "the app's address for it is #/account/join). Enter this email address, paste this code:\n\n    dtx_TOKEN\n\n" +
        'and choose your password; you are signed in straight after. The code works once, for 7 days; if it has ' +
        "expired, ask Acme's administrator to invite you again. If you did not expect this, ignore this message: " +
        'nobody can sign in until the code is used.\n\n— Dialtone'
    })
    const n = billingNotices('en')
    expect(n.renewalReminder('+12015550100', '2026-12-24T05:00:00.000Z', 1999, 'USD')).toEqual({
      subject: 'Your line +12015550100 renews on 2026-12-24',
      body:
        'Your line +12015550100 renews automatically on 2026-12-24 for $19.99.\n\n' +
        'To stop it, switch auto-renew off in Dialtone before 2026-12-24.\n\n— Dialtone'
    })
    expect(n.renewalFailed('+1', declineWord('insufficient_funds'), null).body).toBe(
      'The payment for your line +1 failed: the card has insufficient funds.\n\n' +
        'We will not try again. Renew in Dialtone to keep the line.\n\n— Dialtone'
    )
    expect(declineWord('processor_exploded')).toBe('other')
  })

  it('names a line without a number in the reader’s words in every renewal message, never in English', () => {
    const at = '2026-12-24T05:00:00.000Z'
    for (const code of ['fa', 'fr'] as const) {
      const n = billingNotices(code)
      const none = MAIL_CATALOGS[code]['line.noNumber']
      const messages = [
        n.renewalReminder(null, at, 1999, 'USD'),
        n.cardExpiresFirst(null, '4242', at),
        n.renewed(null, at),
        n.renewalFailed(null, declineWord('card_declined'), at),
        n.renewalFailed(null, declineWord('card_declined'), null),
        n.canceledForNonPayment(null)
      ]
      for (const m of messages) {
        const text = strip(`${m.subject}\n${m.body}`)
        expect(text, code).toContain(none)
        expect(text, code).not.toMatch(/your line|no number|null/i)
      }
      // The Persian words are Persian: no Latin letters but the brand, the currency and the card's digits.
      if (code === 'fa')
        for (const m of messages)
          expect(strip(`${m.subject}\n${m.body}`).replace(/Dialtone|USD/g, '')).not.toMatch(/[A-Za-z]/)
    }
    expect(billingNotices('en').renewed(null, at).subject).toBe('Your line (no number) was renewed')
  })

  it('formats values for the language, isolated, and leaves codes as they are to be copied', () => {
    const fa = templates('fa').trialCode('سارا', '123456', 'MJ-1')
    expect(fa.subject).toBe('کد فعال‌سازی Dialtone شما: 123456')
    expect(fa.body).toContain('\n\n    123456\n\n')
    expect(fa.body).toContain('\u2068MJ-1\u2069')
    const reminder = billingNotices('fa').renewalReminder(
      '+12015550100',
      '2026-12-24T05:00:00.000Z',
      1999,
      'USD'
    )
    expect(strip(reminder.body)).toContain('۱۹٫۹۹ USD')
    expect(strip(reminder.subject)).toContain('+12015550100')
    expect(strip(reminder.subject)).toMatch(/۲۰۲۶/)
    expect(reminder.subject).toContain('\u2068+12015550100\u2069')
    const fr = billingNotices('fr').receipt('ord_1', 123456, 'USD', ['x'])
    expect(strip(fr.body)).toContain('1234,56 USD')
    expect(strip(fr.subject)).toBe('Reçu Dialtone ord_1')
    expect(templates('fr').phoneCode('654321').body).toBe(
      'Votre code Dialtone est 654321. Il expire dans 10 minutes.'
    )
    expect(mailWords('hr').t('sign')).toBe('— Dialtone')
  })

  it('words a receipt’s items from their codes in every language; only an item stored without one keeps its text', () => {
    const item = {
      description: 'Line service, monthly for +12015550100',
      planCode: 'line-1m',
      phoneNumber: '+12015550100'
    }
    expect(receiptLines('en', [item])).toEqual(['Line service, monthly for +12015550100'])
    expect(strip(receiptLines('fr', [item])[0] ?? '')).toBe('Service de ligne, mensuel pour +12015550100')
    expect(receiptLines('fa', [{ ...item, planCode: '' }])).toEqual([item.description])
    // A line without a number: the plan alone, in the reader's words; never the English stored beside it.
    const unnumbered = {
      description: 'Line service, monthly for your line',
      planCode: 'line-1m',
      phoneNumber: null
    }
    expect(receiptLines('en', [unnumbered])).toEqual(['Line service, monthly'])
    expect(strip(receiptLines('fr', [unnumbered])[0] ?? '')).toBe('Service de ligne, mensuel')
    const fa = strip(receiptLines('fa', [unnumbered])[0] ?? '')
    expect(fa).toBe(strip(pdfWords('fa').t('plan.line-1m')))
    expect(fa).not.toMatch(/[A-Za-z]/)
    // A device order names the device as the app does; an offer without words keeps its stored name.
    expect(offerName('fr', 'usb-c-2027', 'USB-C dongle')).toBe('Boîtier Dialtone USB-C')
    expect(offerName('en', 'usb-c-2027', 'USB-C dongle')).toBe('USB-C dongle')
    expect(offerName('fr', 'gone', 'Old box')).toBe('Old box')
  })
})
