/** The address bar's part: which page, and the number a tel: or sip: link asked to call. */
import { describe, expect, it } from 'vitest'
import {
  VOUCHER_HREF,
  accountSectionFromHash,
  dialFromHash,
  focusFromHash,
  pageFromHash
} from '../../../src/renderer/src/pages'

describe('the address', () => {
  it('takes the number a tel: link put in it', () => {
    expect(dialFromHash('#/phone?dial=%2B1%20201%20555%200101')).toBe('+12015550101')
    expect(pageFromHash('#/phone?dial=911')).toBe('phone')
    expect(dialFromHash('#/phone')).toBeUndefined()
    expect(dialFromHash('#/phone?dial=abc')).toBeUndefined()
    expect(pageFromHash('#/nowhere')).toBe('device')
  })

  it('takes the part of the Account page from the address', () => {
    expect(pageFromHash('#/account/billing')).toBe('account')
    expect(accountSectionFromHash('#/account/billing')).toBe('billing')
    expect(accountSectionFromHash('#/account/security?x=1')).toBe('security')
    expect(accountSectionFromHash('#/account')).toBe('overview')
    expect(accountSectionFromHash('#/account/nowhere')).toBe('overview')
    expect(accountSectionFromHash('#/phone/billing')).toBe('overview')
  })

  it('leads to the Re-Up code field where it really is: the overview, focused', () => {
    expect(pageFromHash(VOUCHER_HREF)).toBe('account')
    expect(accountSectionFromHash(VOUCHER_HREF)).toBe('overview')
    expect(focusFromHash(VOUCHER_HREF)).toBe('voucher')
    expect(focusFromHash('#/account/overview')).toBeUndefined()
    expect(focusFromHash('#/phone?dial=911')).toBeUndefined()
  })
})
