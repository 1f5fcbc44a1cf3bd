/** The address bar's part: which page, and the number a tel: or sip: link asked to call. */
import { describe, expect, it } from 'vitest'
import { dialFromHash, pageFromHash } from '../../../src/renderer/src/pages'

describe('the address', () => {
  it('takes the number a tel: link put in it', () => {
    expect(dialFromHash('#/phone?dial=%2B1%20201%20555%200101')).toBe('+12015550101')
    expect(pageFromHash('#/phone?dial=911')).toBe('phone')
    expect(dialFromHash('#/phone')).toBeUndefined()
    expect(dialFromHash('#/phone?dial=abc')).toBeUndefined()
    expect(pageFromHash('#/nowhere')).toBe('device')
  })
})
