/**
 * Profile's "Emails and texts in": the language the service writes to the account's people in. It starts as the
 * app's language (the trial line was started in English), each language is named in itself, a choice saves at
 * once and says so in the app's language, and the service has it (the profile answers it; the next email is in
 * it). The app's own language (Persian here) and the messages' are two choices: the label is Persian, the list
 * still names each language in itself.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { signedInTrialLine } from './trial-line'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

leaveSignedOut()

const profileLanguage = async (): Promise<string> => {
  const p = (await callMain('account.profile')) as { ok: boolean; value?: { language: string } }
  expect(p.ok, JSON.stringify(p)).toBe(true)
  return p.value?.language ?? ''
}

test('the person chooses the language of their emails and texts in Profile', async ({ page }) => {
  await signedInTrialLine()
  expect(await profileLanguage()).toBe('en')
  await page.goto(`/?token=${E2E.token}#/account/profile`)
  const choice = page.getByTestId('message-language-select')
  await expect(choice).toHaveValue('en', { timeout: 20_000 })
  await expect(page.getByTestId('message-language')).toContainText('Emails and texts in')
  await expect(choice.locator('option')).toHaveText([
    'English',
    'Hrvatski',
    'Français',
    'فارسی',
    'Română',
    'Slovenščina'
  ])

  await choice.selectOption('fr')
  await expect(page.getByTestId('message-language-saved')).toHaveText(
    'Saved. Emails and texts now come in \u2068Français\u2069.' // the name isolated, as every value is
  )
  expect(await profileLanguage()).toBe('fr')

  // The next message to the account is French: a confirmation code for a new address.
  const address = `e2e-second-${Date.now()}@example.test`
  expect((await callMain('account.addEmail', { address })).ok).toBe(true)
  const mail = (await (
    await fetch(`${E2E.serviceUrl}/dev/mailbox.json?to=${encodeURIComponent(address)}`)
  ).json()) as { messages: { purpose: string; subject: string }[] }
  expect(mail.messages.find((m) => m.purpose === 'email-verify')?.subject).toMatch(
    /^Confirmez cette adresse e-mail pour Dialtone : \d{6}$/
  )
  // The address was only for this: removed again, so the account is as the later specs expect it.
  const p = (await callMain('account.profile')) as { value: { emails: { id: string; address: string }[] } }
  const added = p.value.emails.find((e) => e.address === address)
  expect((await callMain('account.removeEmail', { emailId: added?.id ?? '' })).ok).toBe(true)

  // The app in Persian: its own words Persian, the list still each language's own name, the choice kept.
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await page.reload()
  await expect(page.getByTestId('message-language')).toContainText('ایمیل‌ها و پیامک‌ها به زبان', {
    timeout: 20_000
  })
  await expect(page.getByTestId('message-language-select')).toHaveValue('fr')

  // The run's one trial account reads English again for the specs after this one.
  expect((await callMain('account.updateMessageLanguage', { language: 'en' })).ok).toBe(true)
})
