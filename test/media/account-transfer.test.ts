/**
 * Second-hand dongles as people live them (issue 19 item 6), in Chromium against the real service, on SQLite
 * (JOURNEY_BACKENDS), with two app brains. The old owner has the virtual dongle (serial VIRTUAL, signed with the
 * committed development key, as the development service trusts it) on their account; the new owner plugs that same
 * virtual dongle into their own app: the activation step says it is someone else's and, once they sign in to their own
 * account, asks the owner to hand it over. The old owner finds the request under "Dongle transfers" (the words of
 * the email), and refuses a made-up code, a code for someone else's dongle and — a week later — the expired
 * request, each beside the field with the code kept and nothing changed; the new owner sees the request expire and
 * asks again; the owner approves; the old line closes and the new owner's setup goes on to the new line's own 911
 * address (never the old owner's). When strangers who read the serial have spent the dongle's day's emails, the
 * buyer's request is kept all the same: the buyer is told to ask the owner to open the Account page, and the owner
 * has the code emailed there and approves. Separately, an owner releases a dongle from the line's card: the
 * consequences said first, a wrong password refused beside the field, the right one closes the line. Every new
 * screen is screenshotted in English and Persian and audited with axe.
 */
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import { devAttestationIdentity } from '../../src/main/device/dev-attestation'
import { VIRTUAL_SERIAL } from '../../src/main/device/virtual-tigerjet'
import { TRANSFER_TTL_MS } from '../../src/server/devices/transfer'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { appUrl, expectText } from '../support/browser'
import { signChallenge } from '../support/dongles'
import { fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { type TestService } from '../support/service'
import {
  MODEL,
  US_ADDRESS,
  latestSecret,
  mailbox,
  newSerial,
  startTrial,
  trialLine
} from '../support/service-flows'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

/** The new owner's own billing address: what their new line's 911 form starts from. */
const BUYER_BILLING = {
  street: '77 Harbor Rd',
  city: 'Boston',
  region: 'MA',
  postalCode: '02110',
  country: 'US'
}

interface Owner {
  email: string
  password: string
  token: string
  lineId: string
}

/** A trial taken to an account through the emailed code (its email confirmed), with these overrides. */
async function trialAccount(svc: TestService, overrides: Record<string, unknown>): Promise<Owner> {
  const { r, req } = await startTrial(svc, overrides)
  expect(r.status, JSON.stringify(r.body)).toBe(202)
  const a = await svc.api<{ lineId: string; session: { token: string } }>('POST', '/v1/trials/activate', {
    trialId: r.body.trialId,
    code: await latestSecret(svc, req.email, 'trial-code')
  })
  expect(a.status, JSON.stringify(a.body)).toBe(201)
  return { email: req.email, password: req.password, token: a.body.session.token, lineId: a.body.lineId }
}

/** The virtual dongle on the old owner's account (its attestation signed as its firmware does), 911 set. */
async function virtualDongleOwner(svc: TestService, backend: string): Promise<Owner> {
  const identity = devAttestationIdentity(VIRTUAL_SERIAL, MODEL)
  if (!identity) throw new Error('no development key for the virtual dongle')
  const challenge = await svc.dongles.challenge(VIRTUAL_SERIAL, MODEL)
  const owner = await trialAccount(svc, {
    serial: VIRTUAL_SERIAL,
    email: `old-owner-${backend}@example.test`,
    name: 'Olive Oldham',
    attestation: signChallenge(identity.privateKey, MODEL, VIRTUAL_SERIAL, challenge)
  })
  const e = await svc.api('PUT', `/v1/lines/${owner.lineId}/e911`, { address: US_ADDRESS }, owner.token)
  expect(e.status, JSON.stringify(e.body)).toBe(200)
  return owner
}

describe.each(JOURNEY_BACKENDS)('second-hand dongles (%s)', (backend) => {
  const j = journeySuite(backend)

  const transfersOf = async (token: string) =>
    (
      await j.svc.api<{ transfers: { id: string; status: string; direction: string }[] }>(
        'GET',
        '/v1/transfers',
        undefined,
        token
      )
    ).body.transfers
  const lineOf = async (token: string, lineId: string) =>
    (
      await j.svc.api<{ status: string; e911: { address: { street: string } } | null; missing: string[] }>(
        'GET',
        `/v1/lines/${lineId}`,
        undefined,
        token
      )
    ).body

  it(
    'the new owner asks from the activation step, the owner approves with the emailed code, the new line asks for its own 911 address',
    { timeout: 240_000 },
    async () => {
      const old = await virtualDongleOwner(j.svc, backend)
      const buyer = await trialAccount(j.svc, {
        serial: newSerial(),
        email: `new-owner-${backend}@example.test`,
        name: 'Nadia Newman',
        billingAddress: BUYER_BILLING,
        areaCode: '617'
      })

      // The new owner plugs the dongle in: the activation step says whose it is and asks them to sign in.
      const buyerApp = await j.open('#/account')
      const bp = buyerApp.page
      await call(buyerApp.t.app.dispatch, 'app.settings.set', { virtualDongle: true })
      await bp.goto(appUrl(buyerApp.host, '#/device'))
      await bp.locator('[data-testid="setup-waiting"][data-step="activate"]').waitFor({ timeout: 20_000 })
      await bp.getByTestId('transfer-sign-in-first').waitFor()
      await j.inBothLanguages(buyerApp, `transfer-sign-in-${backend}`, 'transfer-sign-in-first')
      await fill(bp, { 'signin-identifier': buyer.email, 'signin-password': buyer.password })
      await bp.getByTestId('signin-submit').click()
      const form = bp.getByTestId('transfer-request-form')
      await form.waitFor({ timeout: 15_000 })
      await j.inBothLanguages(buyerApp, `transfer-request-${backend}`, 'transfer-request-form')

      // Bad input: the terms not accepted and an area code that does not exist — said beside the fields, the
      // area code as typed, nothing asked of anyone.
      await bp.getByTestId('contact-areaCode').fill('123')
      await bp.getByTestId('transfer-request-submit').click()
      await bp.locator('[data-testid="contact-areaCode"][aria-invalid="true"]').waitFor()
      expect(await bp.getByTestId('contact-areaCode').inputValue()).toBe('123')
      expect(await transfersOf(buyer.token)).toEqual([])
      await bp.getByTestId('contact-areaCode').fill('415')
      await bp.getByTestId('transfer-request-submit').click()
      // Now the area code is fine and the refusals sit under the two boxes to tick, one each, worded by the locale.
      await bp.locator('[data-testid="contact-areaCode"]:not([aria-invalid])').waitFor()
      await form.locator('.field-error').first().waitFor()
      expect(await form.locator('.field-error').count()).toBe(2)
      for (const box of ['contact-terms', 'contact-e911'])
        expect(await bp.getByTestId(box).getAttribute('aria-invalid')).toBe('true')
      expect(await bp.getByTestId('contact-areaCode').inputValue()).toBe('415')
      expect(await transfersOf(buyer.token)).toEqual([])
      await bp.getByTestId('contact-terms').check()
      await bp.getByTestId('contact-e911').check()
      await bp.getByTestId('transfer-request-submit').click()
      await bp.locator('[data-testid="transfer-request-state"][data-status="pending"]').waitFor()
      await j.inBothLanguages(buyerApp, `transfer-waiting-${backend}`, 'transfer-request-state')
      // The buyer's reference, which the owner checks before approving (several people may ask for one dongle).
      const reference = /\b[0-9A-HJKMNP-TV-Z]{6}\b/.exec(
        (await bp.getByTestId('transfer-your-reference').textContent()) ?? ''
      )?.[0]
      expect(reference).toBeDefined()
      /** "Check again" (while it is there) until the screen shows `target`, as a person would on a slow day. */
      const checkUntil = async (target: Locator): Promise<void> => {
        for (let i = 0; i < 5; i++) {
          const check = bp.getByTestId('transfer-request-check')
          if (await check.isVisible()) await check.click()
          if (
            await target.waitFor({ timeout: 6_000 }).then(
              () => true,
              () => false
            )
          )
            return
        }
        await target.waitFor()
      }

      // The owner's email names the place in the app and says what approving does, in the screen's words.
      const mail = (await mailbox(j.svc, old.email)).find((m) => m.purpose === 'transfer-request')
      for (const words of [
        en.transfers.title,
        en.transfers.approveTitle,
        'the paid time left on the line ends and is not refunded or moved'
      ])
        expect(mail?.body).toContain(words)
      expect(mail?.body).toContain(`Request ${reference ?? '?'},`)
      expect(en.transfers.approveWhat).toContain(
        'the paid time left on the line ends and is not refunded or moved'
      )
      const code = await latestSecret(j.svc, old.email, 'transfer-request')

      // The old owner, signed in on their own computer, finds the request in the overview.
      const oldApp = await j.signedIn(old.email, old.password)
      const op = oldApp.page
      const approveForm = op.getByTestId('transfer-approve-form')
      await approveForm.waitFor()
      await expectText(op, 'transfer-row', VIRTUAL_SERIAL)
      // Beside the approval: the same reference the buyer sees, and the name the buyer gave.
      await expectText(op, 'transfer-asked-by', reference ?? '?')
      await j.inBothLanguages(oldApp, `transfer-approve-${backend}`, 'transfer-approve-form')
      const codeField = op.getByTestId('transfer-code')
      const refusedBesideTheField = async (typed: string, words: string): Promise<void> => {
        await codeField.fill(typed)
        await op.getByTestId('transfer-approve').click()
        await approveForm
          .locator('.field-error, [data-testid="transfer-approve-error"]')
          .filter({ hasText: words })
          .waitFor()
        expect(await codeField.inputValue()).toBe(typed)
        // Nothing changed: the line in service on the old account, the request still open.
        expect((await lineOf(old.token, old.lineId)).status).not.toBe('closed')
      }

      // A made-up code, then the code of someone else's dongle: the wrong code, nothing changed.
      await refusedBesideTheField(`dtx_${'Q'.repeat(43)}`, 'not the code we emailed')
      expect(await codeField.getAttribute('aria-invalid')).toBe('true')
      const otherSeller = await trialLine(j.svc)
      const otherBuyer = await trialLine(j.svc)
      const other = await j.svc.api<{ id: string }>(
        'POST',
        '/v1/transfers',
        {
          serial: otherSeller.serial,
          model: MODEL,
          areaCode: '201',
          acceptances: { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
        },
        otherBuyer.token
      )
      expect(other.status, JSON.stringify(other.body)).toBe(202)
      const foreign = await latestSecret(j.svc, otherSeller.email, 'transfer-request')
      await refusedBesideTheField(foreign, 'not the code we emailed')
      expect((await transfersOf(old.token)).map((x) => x.status)).toEqual(['pending'])
      // The foreign code was not used up: it still approves its own dongle, for its own owner only.
      const theirs = await j.svc.api(
        'POST',
        '/v1/transfers/approve',
        { transferId: other.body.id, token: foreign },
        otherSeller.token
      )
      expect(theirs.status, JSON.stringify(theirs.body)).toBe(200)

      // A week and a bit later the request has expired: the right code is refused, saying so.
      j.svc.clock.advance(TRANSFER_TTL_MS + 60_000)
      await refusedBesideTheField(code, 'expired')
      expect((await transfersOf(old.token)).map((x) => x.status)).toEqual(['expired'])

      // The new owner sees it expired and asks again (what they chose is still there).
      await checkUntil(bp.locator('[data-testid="transfer-request-state"][data-status="expired"]'))
      await j.inBothLanguages(buyerApp, `transfer-expired-${backend}`, 'transfer-request-state')
      await bp.getByTestId('transfer-request-again').click()
      expect(await bp.getByTestId('contact-areaCode').inputValue()).toBe('415')
      await bp.getByTestId('transfer-request-submit').click()
      await bp.locator('[data-testid="transfer-request-state"][data-status="pending"]').waitFor()

      // The owner approves the new request with the new code; both sides see it handed over.
      await op.reload()
      await approveForm.waitFor()
      await codeField.fill(await latestSecret(j.svc, old.email, 'transfer-request'))
      await op.getByTestId('transfer-approve').click()
      await op.locator('[data-testid="transfer-row"][data-status="completed"]').waitFor()
      await op.locator('[data-testid="transfer-row"][data-status="expired"]').waitFor()
      await expectText(op, 'line-status', en.lines.status.closed)
      await j.inBothLanguages(oldApp, `transfer-done-${backend}`, 'transfers')
      expect((await lineOf(old.token, old.lineId)).status).toBe('closed')

      // The new owner's setup goes on to the new line's own 911 address: theirs to give, never the old one.
      await checkUntil(bp.getByTestId('e911-form'))
      expect(await bp.getByTestId('e911-street').inputValue()).toBe(BUYER_BILLING.street)
      const mine = (await transfersOf(buyer.token)).find((x) => x.status === 'completed')
      expect(mine).toMatchObject({ direction: 'incoming' })
      const lines = await j.svc.api<{ lines: { id: string; deviceSerial: string }[] }>(
        'GET',
        '/v1/lines',
        undefined,
        buyer.token
      )
      const newLine = lines.body.lines.find((l) => l.deviceSerial === VIRTUAL_SERIAL)
      expect(newLine).toBeDefined()
      const fresh = await lineOf(buyer.token, newLine?.id ?? '')
      expect(fresh.e911).toBeNull()
      expect(fresh.missing).toContain('e911')
      await j.inBothLanguages(buyerApp, `transfer-new-e911-${backend}`, 'e911-form')
      await bp.getByTestId('e911-save').click()
      await expect
        .poll(async () => (await lineOf(buyer.token, newLine?.id ?? '')).e911?.address.street)
        .toBe(BUYER_BILLING.street)
      // The line has no paid time (the old owner's ended with theirs): said, with the way to the renewal.
      await expectText(bp, 'line-waiting', en.lines.needs.coverage)
      await expectText(bp, 'line-waiting-remedy', en.remedy.renew)
      expect(await bp.getByTestId('line-waiting-remedy').getAttribute('href')).toBe('#/account/overview')
      // Unplugged: the setup stops trying to bring up a line this suite has no SIP server for.
      await call(buyerApp.t.app.dispatch, 'app.settings.set', { virtualDongle: false })
      await bp.getByTestId('device-empty').waitFor()
    }
  )

  it(
    'past the dongle’s day’s emails the buyer’s request is kept: the owner has its code emailed from the app and approves',
    { timeout: 120_000 },
    async () => {
      const seller = await trialLine(j.svc)
      const ask = async (who: { token: string }) => {
        const r = await j.svc.api<{ id: string; reference: string; codeSent: boolean }>(
          'POST',
          '/v1/transfers',
          {
            serial: seller.serial,
            model: MODEL,
            areaCode: '415',
            acceptances: { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
          },
          who.token
        )
        expect(r.status, JSON.stringify(r.body)).toBe(202)
        return r.body
      }
      // Five strangers who read the serial off the box ask first; then the person the owner handed it to.
      for (let i = 0; i < 5; i++) expect((await ask(await trialLine(j.svc))).codeSent).toBe(true)
      // The buyer's own line has no 911 address yet: not in service.
      const buyer = await trialLine(j.svc, { e911: false })
      const request = await ask(buyer)
      expect(request.codeSent).toBe(false)
      const requestMails = async () =>
        (await mailbox(j.svc, seller.email)).filter((m) => m.purpose === 'transfer-request')
      expect(await requestMails()).toHaveLength(5)

      // The buyer reads that the owner was not emailed, and where the owner has the code sent.
      const buyerApp = await j.signedIn(buyer.email, buyer.password)
      await buyerApp.page.locator('[data-testid="transfer-row"][data-direction="incoming"]').waitFor()
      await expectText(buyerApp.page, 'transfer-state', 'ask them to open the Account page')
      await j.inBothLanguages(buyerApp, `transfer-unsent-${backend}`, 'transfers')
      // Their Phone page, with no line in service, says where what it needs is (not "activate your dongle").
      await buyerApp.page.goto(appUrl(buyerApp.host, '#/phone'))
      const noLine = buyerApp.page.locator('[data-testid="phone-no-line"][data-why="pending"]')
      await noLine.filter({ hasText: en.phone.linePending }).waitFor({ timeout: 20_000 })
      await noLine.getByTestId('phone-to-account').click()
      await buyerApp.page.getByTestId('transfers').waitFor()
      expect(new URL(buyerApp.page.url()).hash).toBe('#/account/overview')

      // The owner finds the request by the reference the buyer tells them, with no code sent, and has it emailed.
      const ownerApp = await j.signedIn(seller.email, seller.password)
      const op = ownerApp.page
      const row = op.getByTestId('transfer-row').filter({ hasText: request.reference })
      // Six requests wait: each folded to its line; the owner opens the one with the buyer's reference.
      await row.waitFor()
      expect(await op.locator('[data-testid="transfer-approve-details"][open]').count()).toBe(0)
      await row.locator('summary').click()
      await row.getByTestId('transfer-code-state').filter({ hasText: en.transfers.codeNotSent }).waitFor()
      expect(await row.getByTestId('transfer-code-state').getAttribute('data-sent')).toBe('false')
      await j.inBothLanguages(ownerApp, `transfer-code-unsent-${backend}`, 'transfers')
      await row.getByTestId('transfer-send-code').click()
      await row.getByTestId('transfer-code-resent').waitFor()
      expect(await row.getByTestId('transfer-send-code').textContent()).toBe(en.transfers.sendNewCode)
      const mail = (await requestMails()).find((m) => m.body?.includes(`Request ${request.reference},`))
      const code = /\b(dtx_[A-Za-z0-9_-]{43})\b/.exec(mail?.body ?? '')?.[1]
      expect(code).toBeDefined()
      await row.getByTestId('transfer-code').fill(code ?? '')
      await row.getByTestId('transfer-approve').click()
      await op
        .locator('[data-testid="transfer-row"][data-status="completed"]')
        .filter({ hasText: seller.serial })
        .waitFor()
      // The strangers' requests went with it: declined.
      expect(
        (await transfersOf(seller.token)).filter((x) => x.status === 'declined').map((x) => x.direction)
      ).toEqual(['outgoing', 'outgoing', 'outgoing', 'outgoing', 'outgoing'])
      // The buyer's side sees it handed over.
      await buyerApp.page.reload()
      await buyerApp.page.locator('[data-testid="transfer-row"][data-status="completed"]').waitFor()
    }
  )

  it(
    'an owner releases a dongle from its line: the consequences first, the password confirms',
    { timeout: 120_000 },
    async () => {
      const owner = await trialLine(j.svc)
      const app = await j.signedIn(owner.email, owner.password)
      const { page } = app
      await page.getByTestId('release').locator('summary').click()
      const form = page.getByTestId('release-form')
      await form.waitFor()
      const number = (
        await j.svc.api<{ number: string }>('GET', `/v1/lines/${owner.lineId}`, undefined, owner.token)
      ).body.number
      await expectText(page, 'release-consequences', formatPhoneNumber(number))
      await j.inBothLanguages(app, `release-${backend}`, 'release-form')

      // A wrong password: said beside the field, kept, nothing changed.
      await fill(page, { 'release-password': 'not my password at all' })
      await page.getByTestId('release-submit').click()
      await form.locator('.field-error').filter({ hasText: en.errors.reason['wrong-password'] }).waitFor()
      expect(await page.getByTestId('release-password').inputValue()).toBe('not my password at all')
      expect((await lineOf(owner.token, owner.lineId)).status).not.toBe('closed')

      await fill(page, { 'release-password': owner.password })
      await page.getByTestId('release-submit').click()
      await expectText(page, 'line-status', en.lines.status.closed)
      expect((await lineOf(owner.token, owner.lineId)).status).toBe('closed')
      // The closed line keeps its history and offers nothing that the service would refuse.
      await expectText(page, 'line-closed', en.lines.closedNote)
      // The focus, lost with the form's button, is on the note (focus-keeper.ts): a screen reader reads it there.
      expect(await page.evaluate(`document.activeElement?.getAttribute('data-testid') ?? ''`)).toBe(
        'line-closed'
      )
      expect(await page.getByTestId('release').count()).toBe(0)
      expect(await page.getByTestId('renewal').count()).toBe(0)
      const device = await j.svc.service.ctx.db
        .selectFrom('devices')
        .select('owner_account_id')
        .where('serial', '=', owner.serial)
        .executeTakeFirstOrThrow()
      expect(device.owner_account_id).toBeNull()
      expect((await mailbox(j.svc, owner.email)).some((m) => m.purpose === 'device-left')).toBe(true)
    }
  )
})
