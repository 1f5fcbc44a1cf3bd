/** Auto-renew's blockers as worded: before any plan it is "choose a plan", not "this plan cannot renew". */
import { describe, expect, it } from 'vitest'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { blockersToSay } from '../../../src/renderer/src/words'

describe('auto-renew blockers', () => {
  it('says "no plan yet" for a line without a plan, and "this plan cannot" only for a plan', () => {
    const blockedBy = ['plan-not-eligible', 'no-card'] as const
    expect(blockersToSay({ plan: null, autoRenew: { blockedBy } })).toEqual(['no-plan', 'no-card'])
    expect(blockersToSay({ plan: { code: 'line-5y' }, autoRenew: { blockedBy } })).toEqual([
      'plan-not-eligible',
      'no-card'
    ])
    expect(blockersToSay({ plan: null, autoRenew: { blockedBy: [] } })).toEqual([])
  })

  it('has the words in every language', () => {
    for (const [lang, words] of Object.entries(RESOURCES)) {
      const blockers = (words as unknown as { renewal: { blockers: Record<string, string> } }).renewal
        .blockers
      expect(blockers['no-plan'], lang).toMatch(/\S/)
    }
  })
})
