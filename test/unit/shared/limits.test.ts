/** Form limits come from the shared schemas: the same numbers the service checks. */
import { describe, expect, it } from 'vitest'
import { signInRequest } from '../../../src/shared/api/identity'
import { e911AddressSchema } from '../../../src/shared/numbers/e911'
import { blockRequest, cardInput, redeemVoucherRequest } from '../../../src/shared/api/billing'
import { maxLengthOf } from '../../../src/shared/api/limits'
import { setLineLabelRequest } from '../../../src/shared/api/devices'
import type { CommandName } from '../../../src/shared/ipc/contract'
import { limit } from '../../../src/renderer/src/limits'

describe('maxLengthOf', () => {
  it('reads string limits through objects, optionals, pipes and refinements', () => {
    expect(maxLengthOf(signInRequest, 'identifier')).toBe(254)
    expect(maxLengthOf(signInRequest, 'password')).toBe(128)
    expect(maxLengthOf(e911AddressSchema, 'street')).toBe(120)
    expect(maxLengthOf(e911AddressSchema, 'unit')).toBe(40)
    expect(maxLengthOf(redeemVoucherRequest, 'code')).toBe(40)
    expect(maxLengthOf(setLineLabelRequest, 'label')).toBe(40)
  })
  it('reads a named format’s length', () => {
    expect(maxLengthOf(cardInput, 'number')).toBe(23)
    expect(maxLengthOf(cardInput, 'cvc')).toBe(4)
    expect(maxLengthOf(blockRequest, 'number')).toBe(25)
  })
  it('says nothing for what has no limit', () => {
    expect(maxLengthOf(cardInput, 'expMonth')).toBeUndefined()
    expect(maxLengthOf(cardInput, 'nothing')).toBeUndefined()
  })
})

describe('form limits by command', () => {
  it('resolve for every input that carries one', () => {
    const used: [CommandName, string][] = [
      ['account.forgotPassword', 'identifier'],
      ['account.signIn', 'identifier'],
      ['account.signIn', 'password'],
      ['billing.redeemVoucher', 'code'],
      ['account.verifyEmail', 'code'],
      ['account.addEmail', 'address'],
      ['account.setE911', 'address.street'],
      ['account.setE911', 'address.postalCode'],
      ['account.setLineLabel', 'label'],
      ['account.changeNumber', 'areaCode'],
      ['billing.topUp', 'payment.card.number'],
      ['billing.topUp', 'payment.card.cvc'],
      ['account.startTrial', 'name'],
      ['account.startTrial', 'billingAddress.street'],
      ['account.startTrial', 'areaCode'],
      ['account.activateTrial', 'code'],
      ['account.activatePurchased', 'purchase.orderNumber'],
      ['account.activatePurchased', 'purchase.email'],
      ['billing.block', 'number'],
      ['billing.block', 'label'],
      ['phone.dial', 'number']
    ]
    expect(used.filter(([c, p]) => typeof limit(c, p) !== 'number')).toEqual([])
  })
})
