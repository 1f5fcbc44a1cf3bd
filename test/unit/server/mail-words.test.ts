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
import {
  type BillingNotices,
  type LineRef,
  billingNotices,
  declineWord,
  offerName,
  receiptLines
} from '../../../src/server/billing/notices'
import { pdfWords } from '../../../src/server/pdf/words'
import { NOTIFICATION_TEXT } from '../../../src/shared/i18n/notification-text'

const strip = (s: string) => s.replace(/[\u2066-\u2069]/g, '')

type AppWords = {
  account: {
    title: string
    signIn: string
    signOut: string
    forgot: string
    reset: { open: string; code: string; hint: string }
    security: { password: { title: string } }
  }
  business: { join: { open: string; hint: string }; tab: string; invoices: { title: string } }
  emails: { title: string; code: string; verify: string; confirm: { title: string } }
  transfers: { title: string; approveTitle: string }
  help: { title: string }
  cards: { replace: string; title: string; addTitle: string }
  renewal: { title: string; autoRenew: string }
  billing: { balanceTitle: string; topUp: string }
  services: { title: string; switchOn: string }
  trial: { choose: string }
  activate: { modes: { purchased: string }; proofCode: string }
  e911: { title: string }
  account_sections?: never
}
const app = (code: LanguageCode) =>
  RESOURCES[code] as unknown as AppWords & {
    account: { sections: { overview: string; billing: string; profile: string; security: string } }
  }

/** The text names each place in turn (a path: Account, then its tab, then the card), each after the one before. */
function expectPath(text: string, path: readonly string[], what: string): void {
  let from = 0
  for (const place of path) {
    const at = text.indexOf(place, from)
    expect(
      at,
      `${what}: "${place}" after ${path.slice(0, path.indexOf(place)).join(' › ') || 'the start'}`
    ).toBeGreaterThanOrEqual(0)
    from = at + place.length
  }
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
        for (const key of ['reset.body', 'recovered.body'] as const)
          expect(c[key], `${code} ${key} ${word}`).toContain(word)
      for (const word of [a.account.title, a.e911.title])
        expect(c['recovered.e911'], `${code} recovered.e911 ${word}`).toContain(word)
      // A code for the original address names the card it is taken in, which the app shows only for the original;
      // an added address's names its own line in Profile's "Email addresses", with the field and button there.
      expect(c['verify.body']).toContain(a.emails.confirm.title)
      expectPath(
        c['verify.bodySecondary'],
        [a.account.title, a.account.sections.profile, a.emails.title, a.emails.code, a.emails.verify],
        `${code} verify.bodySecondary`
      )
      expect(c['verify.bodySecondary']).not.toContain(a.emails.confirm.title)
      // Invoices are under Account › Business › Invoices (not Billing), in the comma form of document.body.
      expectPath(
        c['invoice.body'],
        [a.account.title, a.business.tab, a.business.invoices.title],
        `${code} invoice.body`
      )
      // The saved cards, by the card's title, in every billing email and the desktop notification that names them.
      const cards = [a.account.title, a.account.sections.billing, a.cards.title]
      for (const key of ['cardExpires.body', 'failed.retry', 'failed.retryNoCard', 'dunning.body'] as const)
        expectPath(c[key], cards, `${code} ${key}`)
      expectPath(NOTIFICATION_TEXT[code].cardExpiringBody, cards, `${code} notification cardExpiringBody`)
      // With no card to replace, the retry says to add one, by the form's title.
      expect(c['failed.retryNoCard']).toContain(a.cards.addTitle)
      // Auto-renew, renewing and topping up are on the overview: the switch by its label, the card by its title.
      expectPath(
        c['reminder.body'],
        [a.account.title, a.account.sections.overview, a.renewal.title],
        `${code} reminder.body`
      )
      expect(c['reminder.body']).toContain(a.renewal.autoRenew)
      for (const key of ['failed.final', 'dunning.body', 'transferred.body', 'movedHere.body'] as const)
        expectPath(c[key], [a.account.title, a.account.sections.overview], `${code} ${key}`)
      // A paid service switched off for want of the balance: top up on the Balance card, then "Switch on" in the
      // line's "Connected services"; a retired one is found (not switched) in the same card.
      for (const key of ['serviceOff.after', 'servicesOff.after', 'servicesOff.afterSome'] as const) {
        expectPath(
          c[key],
          [a.account.title, a.account.sections.overview, a.billing.balanceTitle, a.billing.topUp],
          `${code} ${key}`
        )
        expect(c[key], `${code} ${key}`).toContain(a.services.switchOn)
        expect(c[key], `${code} ${key}`).toContain(a.services.title)
      }
      for (const key of ['serviceOff.afterRetired', 'servicesOff.afterRetired'] as const)
        expectPath(c[key], [a.account.title, a.account.sections.overview, a.services.title], `${code} ${key}`)
      expectPath(
        c['promised.body'],
        [a.account.title, a.account.sections.overview, a.billing.balanceTitle, a.billing.topUp],
        `${code} promised.body`
      )
      // Someone else added or removed an address: change the password, which the owner still knows, where it is.
      expectPath(
        c['emailsChanged.notYou'],
        [a.account.title, a.account.sections.security, a.account.security.password.title],
        `${code} emailsChanged.notYou`
      )
      // Someone else changed the password: the owner no longer knows it (the Password card asks for it), so the
      // way back is "Forgot password?" below "Sign in", after "Sign out" where the app is still signed in.
      for (const word of [a.account.title, a.account.forgot, a.account.signIn, a.account.signOut])
        expect(c['passwordChanged.body'], `${code} passwordChanged.body ${word}`).toContain(word)
      expect(c['proof.body']).toContain(a.activate.modes.purchased)
      expect(c['proof.body']).toContain(a.activate.proofCode)
      expect(c['transfer.body']).toContain(a.transfers.title)
      expect(c['transfer.body']).toContain(a.transfers.approveTitle)
      expect(c['invite.expired.support']).toContain(a.help.title)
      expect(c['support.after']).toContain(a.help.title)
      expect(c['cardExpires.body']).toContain(a.cards.replace)
      expect(c['trialEnding.body']).toContain(a.trial.choose)
      expect(c['trialEnding.body']).toContain(a.account.sections.overview)
      expect(c['failed.retry']).toContain(a.account.sections.billing)
      // Closing an account: the emails name the app's page, tab and button the owner acts with.
      const privacy = RESOURCES[code] as unknown as { privacy: { keep: { submit: string } } }
      for (const key of ['closure.undo', 'closure.kept'] as const)
        expect(c[key], `${code} ${key}`).toContain(privacy.privacy.keep.submit)
      expect(c['closure.undo'], code).toContain(a.account.title)
      expect(c['closure.notYou'], code).toContain(
        (RESOURCES[code] as unknown as { account: { sections: { security: string } } }).account.sections
          .security
      )
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
        'To stop it, switch off "Renew automatically" in Dialtone → Account → Overview (the line\'s "Service and ' +
        'renewal") before 2026-12-24.\n\n— Dialtone'
    })
    expect(n.renewalFailed('+1', declineWord('insufficient_funds'), null).body).toBe(
      'The payment for your line +1 failed: the card has insufficient funds.\n\n' +
        'We will not try again. To keep the line, renew it in Dialtone → Account → Overview.\n\n— Dialtone'
    )
    expect(t.emailVerify('123456', 'original').body).toBe(
      'Enter this code in Dialtone (Account, under "Confirm this email") to confirm this address:\n\n' +
        '    123456\n\n' +
        'It expires in 10 minutes. Until the address is confirmed, it cannot be used to sign in or to reset the ' +
        'password. If you did not give this address to Dialtone, ignore this message.\n\n— Dialtone'
    )
    expect(t.emailVerify('123456', 'secondary').body).toMatch(
      /^Enter this code in Dialtone \(Account, Profile, under "Email addresses": "Confirmation code" next to this address, then "Confirm"\) to confirm this address:\n\n {4}123456\n\n/
    )
    expect(declineWord('processor_exploded')).toBe('other')
  })

  it('names a line without a number by its label, else its dongle’s serial, in every renewal message and language', () => {
    const at = '2026-12-24T05:00:00.000Z'
    const desk = { label: 'Front desk', serial: 'MJ-1234' }
    const bare = { label: null, serial: 'MJ-5678' }
    const messages = (n: BillingNotices, line: LineRef) => [
      n.renewalReminder(line, at, 1999, 'USD'),
      n.cardExpiresFirst(line, '4242', at),
      n.renewed(line, at),
      n.renewalFailed(line, declineWord('card_declined'), at),
      n.renewalFailed(line, declineWord('card_declined'), null),
      n.canceledForNonPayment(line)
    ]
    for (const { code } of LANGUAGES) {
      const n = billingNotices(code)
      const text = (m: { subject: string; body: string }) => strip(`${m.subject}\n${m.body}`)
      for (const m of messages(n, desk)) {
        // The label alone (the app shows the serial under it), never a filler.
        expect(text(m), code).toContain('Front desk')
        expect(text(m), code).not.toMatch(/MJ-1234|no number|your line \(|null|undefined|object/i)
        if (code === 'fa') expect(m.body).toContain('\u2068Front desk\u2069')
      }
      for (const m of messages(n, bare)) {
        expect(text(m), code).toContain('MJ-5678')
        expect(text(m), code).not.toMatch(/no number|null|undefined|object/i)
        if (code === 'fa') expect(m.body).toContain('\u2068MJ-5678\u2069')
      }
      // Two such lines' subjects tell them apart (the card warning's subject names no line, its body does).
      for (const [i, m] of messages(n, desk).entries())
        expect(m.subject === messages(n, bare)[i]?.subject, `${code} ${i}`).toBe(i === 1)
      // The Persian words are Persian: no Latin letters but the brand, the currency, the label and the serial.
      if (code === 'fa')
        for (const m of [...messages(n, desk), ...messages(n, bare)])
          expect(text(m).replace(/Dialtone|USD|Front desk|MJ-\d+/g, '')).not.toMatch(/[A-Za-z]/)
    }
    const en = billingNotices('en')
    expect(en.renewed(desk, at).subject).toBe('Your line “Front desk” was renewed')
    expect(en.renewalReminder(bare, at, 1999, 'USD').subject).toBe(
      'Your line on dongle MJ-5678 renews on 2026-12-24'
    )
    expect(en.renewalFailed(bare, declineWord('card_declined'), null).body).toMatch(
      /^The payment for your line on dongle MJ-5678 failed: /
    )
    expect(en.canceledForNonPayment(bare).subject).toBe(
      'Auto-renew for your line on dongle MJ-5678 was canceled'
    )
    expect(en.canceledForNonPayment(desk).subject).toBe('Auto-renew for your line “Front desk” was canceled')
    // A line with a number reads as it always did.
    expect(en.canceledForNonPayment('+12015550100').subject).toBe('Auto-renew for +12015550100 was canceled')
    const fa = billingNotices('fa')
    expect(strip(fa.renewed(bare, at).subject)).toBe('خط دانگل MJ-5678 شما تمدید شد')
    expect(strip(fa.renewed(desk, at).subject)).toBe('خط «Front desk» شما تمدید شد')
    expect(strip(fa.canceledForNonPayment(bare).subject)).toBe('تمدید خودکار خط دانگل MJ-5678 شما لغو شد')
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
    // A line without a number: the plan for the line's label, else its dongle's serial, in the reader's words.
    const named = { description: 'Line service, monthly', planCode: 'line-1m', phoneNumber: null }
    const desk = { ...named, line: { label: 'Front desk', serial: 'MJ-1234' } }
    const bare = { ...named, line: { label: null, serial: 'MJ-5678' } }
    expect(receiptLines('en', [desk, bare])).toEqual([
      'Line service, monthly for the line “Front desk”',
      'Line service, monthly for the line on dongle MJ-5678'
    ])
    expect(receiptLines('fa', [desk, bare]).map(strip)).toEqual([
      'سرویس خط، ماهانه برای خط «Front desk»',
      'سرویس خط، ماهانه برای خط دانگل MJ-5678'
    ])
    expect(receiptLines('fa', [bare])[0]).toContain('\u2068MJ-5678\u2069')
    // An order stored before lines were named so: the plan alone, in the reader's words; never the stored English.
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

  it('lists the paid services switched off in one pass, and says to switch on only those still offered', () => {
    const n = billingNotices('en')
    const item = (service: string, retired: boolean) =>
      ({ line: '+12015550100', feature: 'caller-id-withheld', amountMinor: 150, retired, service }) as const
    const off = { date: '2027-01-01', balanceMinor: 90, currency: 'USD' }
    const one = n.servicesOff([item('Caller ID withheld by default', false)], off)
    expect(one.subject).toBe('Caller ID withheld by default is off on your line +12015550100')
    const none = n.servicesOff([item('A', false), item('B', false)], off)
    expect(none.subject).toBe('Some of your paid services are off')
    expect(none.body).toContain('  - A on your line +12015550100: $1.50 this month\n  - B on your line')
    expect(none.body).toContain('Your balance ($0.90)')
    expect(none.body).toContain('To have them again, top up')
    const some = n.servicesOff([item('A', false), item('B', true)], off)
    expect(some.body).toContain('B on your line +12015550100: $1.50 this month (no longer offered')
    expect(some.body).toContain('To have the ones still offered again, top up')
    const all = n.servicesOff([item('A', true), item('B', true)], off)
    expect(all.body).toContain('These services are no longer offered')
    expect(all.body).not.toContain('top up')
  })
})
