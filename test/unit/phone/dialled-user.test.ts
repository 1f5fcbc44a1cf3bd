/**
 * The SIP user a number is called at (src/main/phone/call-session.ts, dialledUser): as a North American phone dials
 * it, which is how the SIP server's international gate, its carrier routing and the rating read it. A number abroad
 * is never its bare digits: ten of them read as a US number (+674 555 1234, Nauru, was "6745551234").
 */
import { describe, expect, it } from 'vitest'
import { dialledUser } from '../../../src/main/phone/call-session'
import { classifyDestination } from '../../../src/server/billing/rates'

describe('the number as the line dials it', () => {
  it('writes a +1 number as its eleven digits, a number abroad after 011, a short code as it is', () => {
    expect(dialledUser('+12125550100')).toBe('12125550100')
    expect(dialledUser('+6745551234')).toBe('0116745551234')
    expect(dialledUser('+442071234567')).toBe('011442071234567')
    expect(dialledUser('911')).toBe('911')
    expect(dialledUser('933')).toBe('933')
  })

  it('is rated as the number it is: abroad as international, the US as included', () => {
    expect(classifyDestination(dialledUser('+6745551234'))).toMatchObject({
      zone: 'international',
      digits: '6745551234'
    })
    expect(classifyDestination(dialledUser('+4930123456'))).toMatchObject({
      zone: 'international',
      digits: '4930123456'
    })
    expect(classifyDestination(dialledUser('+12125550100'))).toMatchObject({
      zone: 'domestic',
      digits: '12125550100'
    })
  })
})
