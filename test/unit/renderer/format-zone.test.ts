/**
 * The app's business dates in the account's time zone, not the computer's: an instant shows as the day it is
 * there, and "today" (the plan-change picker's start, the usage chart's range) is counted there. Three zones:
 * America/Los_Angeles at 20:00 (UTC is already on tomorrow), America/Santiago on the day its clock jumps at
 * midnight, Asia/Tokyo in the morning (UTC is still on yesterday).
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  accountZone,
  clearAccountZone,
  formatInstant,
  localDay,
  publishAccountZone,
  publishedAccountZone,
  subscribeAccountZone
} from '../../../src/renderer/src/format'

describe('dates in the account’s zone', () => {
  afterEach(() => publishAccountZone('UTC'))

  it('shows an instant as the account’s day', () => {
    const evening = '2026-12-04T04:00:00.000Z' // 20:00 on 3 December in Los Angeles
    expect(formatInstant(evening, 'en-US', 'UTC')).toBe('Dec 4, 2026')
    publishAccountZone('America/Los_Angeles')
    expect(formatInstant(evening, 'en-US')).toBe('Dec 3, 2026')
    publishAccountZone('Asia/Tokyo')
    expect(formatInstant('2026-12-31T23:30:00.000Z', 'en-US')).toBe('Jan 1, 2027')
  })

  it('counts today and days ahead in the account’s zone', () => {
    const evening = new Date('2026-12-04T04:00:00.000Z')
    publishAccountZone('America/Los_Angeles')
    expect(localDay(0, evening)).toBe('2026-12-03')
    expect(localDay(1, evening)).toBe('2026-12-04')
    expect(localDay(1, evening, 'UTC')).toBe('2026-12-05')
    // Santiago's 6 September 2026 starts at 01:00 local (04:00 UTC); 03:59 UTC is still the 5th there.
    publishAccountZone('America/Santiago')
    expect(localDay(0, new Date('2026-09-06T03:59:00.000Z'))).toBe('2026-09-05')
    expect(localDay(0, new Date('2026-09-06T04:00:00.000Z'))).toBe('2026-09-06')
  })

  it('keeps to UTC for a zone that is not one, and tells listeners of a change', () => {
    let heard = 0
    const stop = subscribeAccountZone(() => heard++)
    publishAccountZone('Mars/Olympus')
    expect(accountZone()).toBe('UTC')
    publishAccountZone('Asia/Tokyo')
    publishAccountZone('Asia/Tokyo')
    stop()
    publishAccountZone('UTC')
    expect(heard).toBe(1)
  })

  it('goes back to UTC with none published when cleared, and tells listeners once', () => {
    publishAccountZone('Asia/Tokyo')
    expect(publishedAccountZone()).toBe('Asia/Tokyo')
    let heard = 0
    const stop = subscribeAccountZone(() => heard++)
    clearAccountZone()
    clearAccountZone()
    stop()
    expect(publishedAccountZone()).toBeNull()
    expect(accountZone()).toBe('UTC')
    expect(heard).toBe(1)
    // A published UTC is a zone put in place; clearing it says so (the next account's parts wait again).
    publishAccountZone('UTC')
    expect(publishedAccountZone()).toBe('UTC')
    clearAccountZone()
    expect(publishedAccountZone()).toBeNull()
  })
})
