/**
 * The table of which setting decides each notice: every kind it names is a setting, security is never one, and
 * the switches the Profile tab offers are exactly the kinds some notice belongs to; a US/Canadian billing
 * address's postal code must be the country's, and its state or province is given (the trial form's too).
 */
import { describe, expect, it } from 'vitest'
import {
  NOTIFICATION_TOPICS,
  billingAddressInput,
  contactBillingAddress,
  notificationSettings,
  signupBillingAddress
} from '../../../src/shared/api/identity'
import { startTrialRequest } from '../../../src/shared/api/devices'
import { issuesFromZod } from '../../../src/shared/api/issues'
import { DEFAULT_NOTIFICATIONS, NOTICE_TOPICS, SENT_TOPICS } from '../../../src/shared/api/notice-topics'

describe('notice topics', () => {
  it('names only settings, never security, and offers a switch exactly for the kinds something sends', () => {
    const kinds = new Set(Object.values(NOTICE_TOPICS))
    for (const k of kinds) if (k !== 'always') expect(NOTIFICATION_TOPICS).toContain(k)
    expect(kinds.has('security' as never)).toBe(false)
    expect([...SENT_TOPICS].sort()).toEqual([...kinds].filter((k) => k !== 'always').sort())
    expect(SENT_TOPICS).toEqual(['billing', 'cardExpiring', 'paymentProblems', 'promisedPayment'])
    expect(notificationSettings.safeParse(DEFAULT_NOTIFICATIONS).success).toBe(true)
  })

  it('checks US and Canadian postal codes in a billing address, and leaves other countries’ alone', () => {
    const at = (country: string, postalCode: string) =>
      billingAddressInput.safeParse({ street: '1 Main St', city: 'Town', region: '', postalCode, country })
        .success
    expect(at('US', '07030')).toBe(true)
    expect(at('US', '07030-1234')).toBe(true)
    expect(at('US', 'K1A 0B1')).toBe(false)
    expect(at('CA', 'k1a0b1')).toBe(true)
    expect(at('CA', '07030')).toBe(false)
    expect(at('GB', 'SW1A 1AA')).toBe(true)
  })
  it('asks a US or Canadian billing address for its state or province, as "required" like the other fields', () => {
    const address = (country: string, region: string) => ({
      street: '1 Main St',
      city: 'Town',
      region,
      postalCode: country === 'CA' ? 'K1A 0B1' : '07030',
      country
    })
    for (const schema of [contactBillingAddress, signupBillingAddress]) {
      expect(schema.safeParse(address('US', '')).success).toBe(false)
      expect(schema.safeParse(address('US', '  ')).success).toBe(false)
      expect(schema.safeParse(address('CA', '')).success).toBe(false)
      expect(schema.safeParse(address('US', 'NJ')).success).toBe(true)
      expect(schema.safeParse(address('GB', '')).success).toBe(true)
    }
    // The trial form sent empty: the state is "required" beside the street, city and ZIP code.
    const empty = { billingAddress: { street: '', city: '', region: '', postalCode: '', country: 'US' } }
    const trial = startTrialRequest.safeParse(empty)
    const paths = issuesFromZod(trial.error!, empty)
      .filter((i) => i.code === 'required')
      .map((i) => i.path)
    for (const k of ['street', 'city', 'region', 'postalCode']) expect(paths).toContain(`billingAddress.${k}`)
  })
})
