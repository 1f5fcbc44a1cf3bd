/**
 * A business account run by its administrator, as people meet it (issue 25 part 2), in Chromium against the real
 * service, on SQLite (JOURNEY_BACKENDS), in English and Persian with axe. The account's owner invites a line user for
 * one of its two lines from Account, Business; an address already used by another account is refused in words
 * that name no account. The invited person opens the address the invitation names (#/account/join, also "I was
 * invited to a business account" on the sign-in form), enters their email, the emailed code (a wrong one first,
 * refused in the invitation's words) and a password, is signed in straight away and sees only their line: no
 * balance, no Billing or Business tab, the banner saying whose account it is and as what; Download my data gives
 * them their own sign-in's data with the membership, never the business's. An invoice
 * issued for the month shows in the owner's Business tab, and the database refuses to change it afterwards. And
 * a company's contact, invited by an operator who opened the account (`dialtone-ops accounts create`), takes the
 * same way in: the invitation names the join screen in the app's own words, and its code works there (opened
 * where Dialtone is signed in, it says to sign out first, with the button). A billing
 * member, who pays for the lines but does not use them, renews each line from its renewal card (no auto-renew or
 * plan change, which are the administrator's), the trial notice's "Choose a plan" and Help's Re-Up link leading
 * there; a line user is told on Help and on the Phone page that the administrator renews, with no link to a
 * renewal they cannot see.
 */
import { describe, expect, it } from 'vitest'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { issueInvoice } from '../../src/server/business/invoices'
import { newId } from '../../src/server/secrets'
import { expectText } from '../support/browser'
import { fieldError, fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { firstAdmin } from '../support/ops'
import {
  BILLING,
  addRetailLine,
  latestSecret,
  lineNumber,
  mailbox,
  trialLine
} from '../support/service-flows'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

const PASSWORD = 'violet anchor lamp 8421'

describe.each(JOURNEY_BACKENDS)('a business administrator invites a line user (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'invites a line user who then sees only their line and no billing; an issued invoice shows and cannot change',
    { timeout: 180_000 },
    async () => {
      const acme = await trialLine(j.svc, { accountType: 'business', name: 'Ada Owner' })
      const other = await trialLine(j.svc, { name: 'Bob Elsewhere' })
      const second = await addRetailLine(j.svc, acme.token)
      const ctx = j.svc.service.ctx
      await ctx.db
        .updateTable('accounts')
        .set({ company: 'Acme Ltd' })
        .where('id', '=', acme.accountId)
        .execute()
      const deskNumber = await lineNumber(j.svc, acme.token, acme.lineId)
      const otherNumber = await lineNumber(j.svc, acme.token, second.lineId)

      const owner = await j.signedIn(acme.email, acme.password)
      const { page } = owner
      await page.getByTestId('account-tab-business').click()
      await page.getByTestId('business-members').waitFor()
      // An address another account uses: one clear answer, nothing about that account.
      await fill(page, { 'business-invite-name': 'Bob', 'business-invite-email': other.email })
      await page.getByTestId('business-invite-role').selectOption('billing')
      await page.getByTestId('business-invite-submit').click()
      await expectText(page, 'business-invite-error', 'cannot be invited')
      expect(await page.getByTestId('business-invite-error').textContent()).not.toContain('Bob Elsewhere')

      const desk = `desk-${Date.now()}@acme.test`
      await fill(page, { 'business-invite-name': 'Front Desk', 'business-invite-email': desk })
      await page.getByTestId('business-invite-role').selectOption('line')
      await page.getByTestId('business-invite-line').selectOption(acme.lineId)
      await page.getByTestId('business-invite-submit').click()
      await page.getByTestId('business-invite-sent').waitFor()
      await expectText(page, 'business-member', 'Front Desk')
      await expectText(page, 'business-member', 'invitation sent')
      await j.inBothLanguages(owner, `business-members-${backend}`, 'business-member')
      // Their invitation again, as the email tells someone whose invitation expired to ask for: a new code.
      const firstCode = await latestSecret(j.svc, desk, 'member-invitation')
      await page
        .getByTestId('business-member')
        .filter({ hasText: 'Front Desk' })
        .getByTestId('business-member-resend')
        .click()
      await expectText(page, 'business-member-said', desk)
      const codes = (await mailbox(j.svc, desk))
        .filter((m) => m.purpose === 'member-invitation')
        .map((m) => /\b(dtr_[A-Za-z0-9_-]{43})\b/.exec(m.body ?? '')?.[1])
      expect(codes).toHaveLength(2)

      // The invited person opens the address the email names, joins with the emailed code and is signed in.
      const code = codes.find((c) => c !== firstCode) ?? ''
      const user = await j.open('#/account/join')
      await user.page.getByTestId('join').waitFor()
      // The way there from the sign-in form too.
      await user.page.getByTestId('join-back').click()
      await user.page.getByTestId('signin-join').click()
      // No address: asked for beside its field before anything is sent.
      await fill(user.page, { 'join-code': `dtr_${'A'.repeat(43)}`, 'join-password': PASSWORD })
      await user.page.getByTestId('join-submit').click()
      expect(await fieldError(user.page, 'join-email')).toContain('the invitation was sent to')
      // A code that is not the invitation's: said beside the code field in the invitation's words.
      await fill(user.page, { 'join-email': desk })
      await user.page.getByTestId('join-submit').click()
      expect(await fieldError(user.page, 'join-code')).toContain('not an invitation code')
      await j.inBothLanguages(user, `business-join-${backend}`, 'join-password-rules')
      await fill(user.page, { 'join-code': code })
      await user.page.getByTestId('join-submit').click()
      await user.page.getByTestId('dashboard').waitFor()
      expect(await user.page.evaluate('window.location.hash')).toBe('#/account/overview')
      await expectText(user.page, 'business-banner', 'Acme Ltd')
      await expectText(user.page, 'business-banner', 'Line user')
      await user.page.getByTestId('line-card').first().waitFor()
      const cards = user.page.getByTestId('line-card')
      expect(await cards.count()).toBe(1)
      expect(await cards.first().textContent()).toContain(deskNumber.slice(-4))
      const body = (await user.page.locator('body').textContent()) ?? ''
      for (const shown of [otherNumber, formatPhoneNumber(otherNumber)]) expect(body).not.toContain(shown)
      expect(await user.page.getByTestId('balance').count()).toBe(0)
      expect(await user.page.getByTestId('account-tab-billing').count()).toBe(0)
      expect(await user.page.getByTestId('account-tab-business').count()).toBe(0)
      await j.inBothLanguages(user, `business-line-user-${backend}`, 'business-banner')
      // Typed by hand, the Billing tab shows nothing of the money either.
      await user.page.evaluate("window.location.hash = '#/account/billing'")
      await user.page.getByTestId('account-section-billing').waitFor({ state: 'attached' })
      expect(await user.page.getByTestId('statement').count()).toBe(0)
      expect(await user.page.getByTestId('card-row').count()).toBe(0)
      // Their own data: Download my data gives their sign-in's (with the membership), never the business's;
      // its erasure is asked of the administrator or support, linked.
      await user.page.evaluate("window.location.hash = '#/account/profile'")
      const yours = user.page.getByTestId('your-data')
      await expectText(user.page, 'your-data', en.privacy.download.memberHint.slice(0, 40))
      expect(await yours.getByTestId('your-data-support').getAttribute('href')).toBe('#/help')
      expect(await yours.getByTestId('close-account').count()).toBe(0)
      const download = user.page.waitForEvent('download')
      await yours.getByTestId('download-data-submit').click()
      const chunks: Buffer[] = []
      for await (const chunk of await (await download).createReadStream()) chunks.push(chunk as Buffer)
      const data = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        emails: { address: string }[]
        lines: unknown[]
        memberships: { business: string; role: string; lineNumber: string | null }[]
      }
      expect(data.emails.map((e) => e.address)).toEqual([desk])
      expect(data.lines).toEqual([])
      expect(data.memberships).toEqual([
        expect.objectContaining({ business: 'Acme Ltd', role: 'line', lineNumber: deskNumber })
      ])
      await j.inBothLanguages(user, `business-member-data-${backend}`, 'your-data')

      // The blocked callers their phone follows: shown, with no control to change them (the administrator's).
      await user.page.evaluate("window.location.hash = '#/phone'")
      await expectText(user.page, 'blocked', 'Your administrator manages this list.')
      expect(await user.page.getByTestId('blocked-add').count()).toBe(0)

      // An invoice issued for last month shows in the owner's Business tab; afterwards nothing can change it.
      await ctx.db
        .insertInto('balance_entries')
        .values({
          id: newId('bal'),
          account_id: acme.accountId,
          kind: 'usage',
          amount_minor: -4200,
          currency: 'USD',
          source_ref: 'journey-usage',
          memo: 'Calls',
          memo_code: 'other',
          memo_params: '{}',
          created_at: '2026-10-20T12:00:00.000Z'
        })
        .execute()
      const invoice = await issueInvoice(ctx, acme.accountId, '2026-10', 'operator:journey')
      await page.reload()
      await page.getByTestId('account-tab-business').click()
      await expectText(page, 'business-invoice', invoice.number)
      await j.inBothLanguages(owner, `business-invoices-${backend}`, 'business-invoice')
      await expect(
        ctx.db.updateTable('invoices').set({ total_minor: 0 }).where('id', '=', invoice.id).execute()
      ).rejects.toThrow(/immutable/)
      await page.getByTestId('business-invoice-email').click()
      await page.getByTestId('business-invoice-emailed').waitFor()
      await expectText(page, 'business-invoice', invoice.number)
    }
  )

  it(
    'walks the contact of a company an operator opened through the join screen the invitation names to the first sign-in',
    { timeout: 120_000 },
    async () => {
      const email = `contact-${backend}@acme-legal.test`
      const admin = await firstAdmin(j.svc)
      const created = await j.svc.api(
        'POST',
        '/ops/v1/accounts',
        {
          type: 'legal_entity',
          company: 'Acme Legal LLC',
          contactName: 'Dana Office',
          email,
          billingAddress: BILLING
        },
        admin.token
      )
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const invitation = (await mailbox(j.svc, email)).find((m) => m.purpose === 'account-invitation')
      // The invitation names the join screen in the app's own words, as an administrator's invitation does.
      expect(invitation?.subject).toBe('You are invited to Acme Legal LLC on Dialtone')
      expect(en.business.join.hint).toContain('“You are invited to … on Dialtone”')
      for (const words of [en.account.title, en.business.join.open, en.account.signIn, en.nav.help])
        expect(invitation?.body).toContain(`"${words}"`)
      expect(invitation?.body).toContain('#/account/join')
      expect(invitation?.body).not.toContain(en.account.reset.open)
      const code = await latestSecret(j.svc, email, 'account-invitation')

      // Opened on a computer where Dialtone is signed in (someone else's account): told to sign out first, with
      // the button, after which the join screen is there.
      const someone = await trialLine(j.svc)
      const contact = await j.signedIn(someone.email, someone.password)
      const { page } = contact
      await page.evaluate("window.location.hash = '#/account/join'")
      await page.getByTestId('join-signed-in').waitFor()
      await j.inBothLanguages(contact, `join-signed-in-${backend}`, 'join-signed-in')
      await page.getByTestId('join-sign-out').click()
      await page.getByTestId('join').waitFor()
      await fill(page, { 'join-email': email, 'join-code': code, 'join-password': 'Acme ledger 2027 spring' })
      await page.getByTestId('join-submit').click()
      await page.getByTestId('dashboard').waitFor()
      expect(await page.evaluate('window.location.hash')).toBe('#/account/overview')
      // The contact is the account's owner: no member's banner, and the company's Business tab is theirs.
      expect(await page.getByTestId('business-banner').count()).toBe(0)
      await page.getByTestId('account-tab-business').click()
      await page.getByTestId('business-members').waitFor()
      await j.inBothLanguages(contact, `invited-company-${backend}`, 'business-members')
    }
  )

  it(
    'a billing member renews from the lines’ renewal cards; a line user is told the administrator renews',
    { timeout: 120_000 },
    async () => {
      const acme = await trialLine(j.svc, { accountType: 'business', name: 'Ada Owner' })
      const member = async (email: string, role: Record<string, string>): Promise<void> => {
        const r = await j.svc.api(
          'POST',
          '/v1/business/members',
          { email, name: 'Member', ...role },
          acme.token
        )
        expect(r.status, JSON.stringify(r.body)).toBe(201)
        const code = await latestSecret(j.svc, email, 'member-invitation')
        const reset = await j.svc.api('POST', '/v1/auth/password/reset', { token: code, password: PASSWORD })
        expect(reset.status, JSON.stringify(reset.body)).toBe(200)
      }
      const books = `books-${backend}@acme.test`
      const desk = `frontdesk-${backend}@acme.test`
      await member(books, { role: 'billing' })
      await member(desk, { role: 'line', lineId: acme.lineId })

      // The billing member: a renewal card for the line, with Renew now and the Re-Up code, nothing of the admin's.
      const billing = await j.signedIn(books, PASSWORD)
      const bp = billing.page
      const card = bp.getByTestId('line-renewal-card')
      await card.getByTestId('renewal').waitFor()
      expect(await card.count()).toBe(1)
      expect(await bp.getByTestId('line-card').count()).toBe(0)
      expect(await card.locator(`#renew-plan-${acme.lineId}`).count()).toBe(1)
      await card.getByTestId('voucher-code').waitFor()
      expect(await card.getByTestId('auto-renew').count()).toBe(0)
      expect(await card.getByTestId('renew-auto').count()).toBe(0)
      expect(await card.getByTestId('plan-change').count()).toBe(0)
      await j.inBothLanguages(billing, `business-billing-renewal-${backend}`, 'line-renewal-card')
      // The trial's notice offers a plan: its button brings the renewal's plan choice into view.
      await bp.getByTestId('trial-choose').click()
      await expect.poll(() => bp.evaluate('document.activeElement?.id')).toBe(`renew-plan-${acme.lineId}`)
      // Help's "where to enter a Re-Up code" leads to the code's field on their renewal card.
      await bp.evaluate("window.location.hash = '#/help'")
      await bp.getByTestId('shops-where-code').click()
      await expect
        .poll(() => bp.evaluate('document.activeElement?.getAttribute("data-testid")'))
        .toBe('voucher-code')
      expect(new URL(bp.url()).hash).toContain('#/account/overview')

      // The line user: no renewal anywhere, and told who renews.
      const user = await j.signedIn(desk, PASSWORD)
      const up = user.page
      await up.getByTestId('line-card').waitFor()
      expect(await up.getByTestId('renewal').count()).toBe(0)
      await up.evaluate("window.location.hash = '#/help'")
      await expectText(up, 'shops-ask-admin', en.help.shops.introAskAdmin)
      expect(await up.getByTestId('shops-where-code').count()).toBe(0)
    }
  )
})
