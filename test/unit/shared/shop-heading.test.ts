/** A found shop's card names the partner under the shop only when it is another name (the newcomer saw it twice). */
import { describe, expect, it } from 'vitest'
import { shopHeading } from '../../../src/shared/help/shop-heading'

describe('a shop card’s names', () => {
  it('names the shop once when its partner has the same name (spacing and case aside)', () => {
    const demo = 'Demo corner shop (development only)'
    expect(shopHeading({ name: demo, partner: demo })).toEqual({ name: demo, partner: null })
    expect(shopHeading({ name: 'Corner Stores', partner: ' corner  STORES ' }).partner).toBeNull()
  })

  it('names the partner under the shop when it is another name', () => {
    expect(shopHeading({ name: 'Downtown', partner: 'Corner Stores' })).toEqual({
      name: 'Downtown',
      partner: 'Corner Stores'
    })
  })
})
