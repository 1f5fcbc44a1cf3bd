/**
 * The service writes to people in their language (emails and SMS): an account takes the app's language at
 * sign-up (a trial, a phone sign-up) and its people change it in Profile; everything sent to it follows (the trial
 * code, receipts from both renewal paths, the auto-renew reminder, the trial-ending reminder, a confirmation code
 * and the notice to every address; a line without a number named in the reader's words); a message before there is an account (a phone sign-up's SMS) is in the
 * request's language; codes stay in Latin digits, to be pasted; a language the app does not speak, or none where
 * one is needed, is refused with a code and nothing is stored. Read through the dev mailbox, on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { noticeTrialsEnding } from '../../../src/server/billing/trial-notices'
import { DAY } from '../../../src/server/clock'
import { renew, saveCard, signIn, subscription } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { latestSecret, mailbox, startTrial, trialLine } from '../../support/service-flows'

type Issues = { error: { issues: { path: string; code: string }[] } }
const strip = (s: string | null | undefined) => (s ?? '').replace(/[\u2066-\u2069]/g, '')

describe.each(BACKENDS)('messages in the account’s language on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  const profileLanguage = async (token: string) =>
    (await svc.api<{ language: string }>('GET', '/v1/account', undefined, token)).body.language

  it('sends a Persian account its code, receipts from both renewal paths and its reminder in Persian; a change in Profile moves the next ones to French', async () => {
    const line = await trialLine(svc, { language: 'fa' })
    const code = (await mailbox(svc, line.email)).find((m) => m.purpose === 'trial-code')
    expect(code?.subject).toMatch(/^کد فعال‌سازی Dialtone شما: \d{6}$/)
    expect(code?.body).toMatch(/\n {4}\d{6}\n/)
    expect(code?.body).toContain('ظرف ۱۰ دقیقه')
    expect(await profileLanguage(line.token)).toBe('fa')

    // The first renewal moves the trial to the plan by the general path; the second, with the saved card, is the
    // short one (renewal-fast.ts), whose receipt's words come with the read it makes anyway.
    const pm = await saveCard(svc, line.token)
    for (let i = 0; i < 2; i++) {
      const paid = await renew(
        svc,
        line.token,
        line.lineId,
        'line-1m@1',
        { paymentMethodId: pm },
        { autoRenew: true }
      )
      expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    }
    const receipts = (await mailbox(svc, line.email)).filter((m) => m.purpose === 'receipt')
    expect(receipts).toHaveLength(2)
    for (const r of receipts) {
      expect(r.subject).toMatch(/^رسید Dialtone /)
      expect(strip(r.body)).toMatch(/^سپاسگزاریم\. مبلغ [۰-۹]+٫[۰-۹]{2} USD را برای این موارد دریافت کردیم:/)
      expect(r.body).not.toContain('Line service')
      expect(r.body).toContain('\u2068')
    }

    const through = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
    // Inside the monthly plan's reminder window, its last week (reminder-window.ts).
    svc.clock.set(new Date(through.getTime() - 5 * DAY))
    await runAutoRenew(svc.service.ctx)
    const reminder = (await mailbox(svc, line.email)).find((m) => m.purpose === 'renewal-reminder')
    expect(strip(reminder?.subject)).toMatch(/^خط \+1\d{10} شما در [۰-۹/]+ تمدید می‌شود$/)

    // Weeks later: a new session, and the person chooses French in Profile.
    const token = await signIn(svc, line)
    const chose = await svc.api('PUT', '/v1/account/language', { language: 'fr' }, token)
    expect(chose.status, JSON.stringify(chose.body)).toBe(200)
    expect(await profileLanguage(token)).toBe('fr')
    const second = `second-${line.serial.toLowerCase()}@example.test`
    expect((await svc.api('POST', '/v1/account/emails', { address: second }, token)).status).toBe(201)
    const verify = (await mailbox(svc, second)).find((m) => m.purpose === 'email-verify')
    expect(verify?.subject).toMatch(/^Confirmez cette adresse e-mail pour Dialtone : \d{6}$/)
    // An added address is confirmed beside it in Profile's list, not in the original's "Confirm this email" card.
    expect(verify?.body).toContain('(Compte, Profil, sous « Adresses e-mail » : « Code de confirmation »')
    expect(verify?.body).not.toContain('« Confirmez cette adresse e-mail »')
    const told = (await mailbox(svc, line.email)).find((m) => m.purpose === 'email-changed')
    expect(told?.subject).toBe('Les adresses e-mail de votre compte Dialtone ont changé')
    expect(strip(told?.body)).toContain(`L’adresse ${second} a été ajoutée à votre compte.`)
    svc.clock.set(new Date())
  })

  it('names a line without a number in Persian words in its receipt and renewal reminder, never in English', async () => {
    const line = await trialLine(svc, { language: 'fa' })
    // A line can be without a number (none assigned yet, or released): the messages must still name it.
    await svc.service.ctx.db
      .updateTable('lines')
      .set({ phone_number: null })
      .where('id', '=', line.lineId)
      .execute()
    const pm = await saveCard(svc, line.token)
    const paid = await renew(
      svc,
      line.token,
      line.lineId,
      'line-1m@1',
      { paymentMethodId: pm },
      { autoRenew: true }
    )
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    const receipt = (await mailbox(svc, line.email)).find((m) => m.purpose === 'receipt')
    // The plan for the line on its dongle, in Persian (the order's stored English description is not what a
    // person reads); unnumbered-lines.test.ts names such lines by their labels too.
    expect(strip(receipt?.body)).toContain(`\n  - سرویس خط، ماهانه برای خط دانگل ${line.serial}\n`)
    const through = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
    // Inside the monthly plan's reminder window, its last week (reminder-window.ts).
    svc.clock.set(new Date(through.getTime() - 5 * DAY))
    await runAutoRenew(svc.service.ctx)
    const reminder = (await mailbox(svc, line.email)).find((m) => m.purpose === 'renewal-reminder')
    expect(strip(reminder?.subject)).toMatch(
      new RegExp(`^خط دانگل ${line.serial} شما در [۰-۹/]+ تمدید می‌شود$`)
    )
    for (const m of [receipt, reminder])
      expect(
        strip(`${m?.subject}\n${m?.body}`).replace(
          new RegExp(`Dialtone|USD|ord_[\\w-]+|${line.serial}`, 'g'),
          ''
        )
      ).not.toMatch(/[A-Za-z]/)
    svc.clock.set(new Date())
  })

  it('refuses a language the app does not speak, or none, with a code, and changes nothing', async () => {
    const line = await trialLine(svc, { language: 'hr' })
    const bad = await svc.api<Issues>('PUT', '/v1/account/language', { language: 'de' }, line.token)
    expect(bad.status).toBe(400)
    expect(bad.body.error.issues).toEqual([
      expect.objectContaining({ path: 'language', code: 'not-allowed-value' })
    ])
    const none = await svc.api<Issues>('PUT', '/v1/account/language', {}, line.token)
    expect(none.status).toBe(400)
    expect(none.body.error.issues).toEqual([expect.objectContaining({ path: 'language', code: 'required' })])
    expect(await profileLanguage(line.token)).toBe('hr')

    const { r, req } = await startTrial(svc, { language: 'xx' })
    expect(r.status).toBe(400)
    expect((r.body as unknown as Issues).error.issues).toEqual([
      expect.objectContaining({ path: 'language', code: 'not-allowed-value' })
    ])
    const rows = await svc.service.ctx.db
      .selectFrom('trial_requests')
      .select('id')
      .where('email', '=', req.email)
      .execute()
    expect(rows).toEqual([])
    expect(await mailbox(svc, req.email)).toEqual([])
  })

  it('keeps English for an app that sends no language, and reminds a French trial in French', async () => {
    const older = await trialLine(svc)
    expect(await profileLanguage(older.token)).toBe('en')
    expect((await mailbox(svc, older.email))[0]?.subject).toMatch(/^Your Dialtone activation code: \d{6}$/)

    const line = await trialLine(svc, { language: 'fr' })
    const end = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
    svc.clock.set(new Date(end.getTime() - 6 * DAY))
    await noticeTrialsEnding(svc.service.ctx)
    await noticeTrialsEnding(svc.service.ctx)
    const ending = (await mailbox(svc, line.email)).filter((m) => m.purpose === 'trial-ending')
    expect(ending).toHaveLength(1)
    expect(strip(ending[0]?.subject)).toMatch(
      /^Votre essai Dialtone pour \+1\d{10} se termine le \d{2}\/\d{2}\/\d{4}$/
    )
    expect(ending[0]?.body).toContain('« Choisir une formule »')
    svc.clock.set(new Date())
  })

  it('invites a business’s people in the business’s language, and they start in it', async () => {
    const acme = await trialLine(svc, { accountType: 'business', name: 'Sara Ahmadi', language: 'fa' })
    const email = `member-${acme.serial.toLowerCase()}@example.test`
    const invited = await svc.api(
      'POST',
      '/v1/business/members',
      { email, name: 'Reza', role: 'billing' },
      acme.token
    )
    expect(invited.status, JSON.stringify(invited.body)).toBe(201)
    const invitation = (await mailbox(svc, email)).find((m) => m.purpose === 'member-invitation')
    expect(invitation?.subject).toMatch(/^از شما دعوت شده است به .+ در Dialtone بپیوندید$/)
    expect(invitation?.body).toContain('«به یک حساب تجاری دعوت شده‌ام»')
    expect(invitation?.body).toMatch(/\n {4}dtr_[A-Za-z0-9_-]{43}\n/)
    const code = await latestSecret(svc, email, 'member-invitation')
    expect(
      (
        await svc.api('POST', '/v1/auth/password/reset', {
          token: code,
          password: 'a long enough passphrase'
        })
      ).status
    ).toBe(200)
    const signedIn = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: email,
      password: 'a long enough passphrase'
    })
    expect(await profileLanguage(signedIn.body.token)).toBe('fa')
  })

  it('texts a phone sign-up code in the language of the app that asked, and the account keeps it', async () => {
    const phone = backend === 'sqlite' ? '+12125550177' : '+12125550178'
    expect((await svc.api('POST', '/v1/signup/phone', { phone, language: 'ro' })).status).toBe(202)
    const sms = (await mailbox(svc, phone)).find((m) => m.purpose === 'phone-signup')
    expect(sms?.body).toMatch(/^Codul dumneavoastră Dialtone este \d{6}\. Expiră în 10 minute\.$/)
    const code = await latestSecret(svc, phone, 'phone-signup')
    const done = await svc.api<{ token: string }>('POST', '/v1/signup/phone/verify', {
      phone,
      code,
      name: 'Ioana Popescu',
      email: `ioana-${backend}@example.test`,
      password: 'a long enough passphrase',
      language: 'ro'
    })
    expect(done.status, JSON.stringify(done.body)).toBe(201)
    expect(await profileLanguage(done.body.token)).toBe('ro')
    const claim = (await mailbox(svc, `ioana-${backend}@example.test`)).find(
      (m) => m.purpose === 'email-verify'
    )
    expect(claim?.subject).toMatch(/^Confirmați acest e-mail pentru Dialtone: \d{6}$/)
    // The account's original address: its code goes in the "Confirm this email" card.
    expect(claim?.body).toContain('(Cont, la „Confirmați acest e-mail”)')
  })
})
