/**
 * Which line the phone registers when none is in service, and the reason it shows (src/main/phone/out-of-service.ts):
 * any line with SIP credentials (it activated once and is not closed) registers, for 911 and 933; the reason says
 * suspended, no 911 address, or lapsed; a line that never activated, or a closed one, does not register.
 */
import { describe, expect, it } from 'vitest'
import { hasCredentials, whyOutOfService } from '../../../src/main/phone/out-of-service'
import type { LineInfo } from '../../../src/shared/api/devices'

const line = (over: Partial<LineInfo>): LineInfo => ({
  id: 'lin_aaaaaaaaaaaaaaaa',
  deviceId: 'dev_aaaaaaaaaaaaaaaa',
  deviceSerial: 'MJ-0001',
  status: 'lapsed',
  missing: [],
  number: '+12015550100',
  label: null,
  paidThrough: null,
  e911: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  ...over
})

describe('the line a phone out of service registers', () => {
  it('registers any line the service says has credentials, and no closed or never-activated line', () => {
    expect(hasCredentials(line({ status: 'pending', missing: ['e911'], sipAccount: true }))).toBe(true)
    expect(hasCredentials(line({ status: 'pending', missing: ['e911'], sipAccount: false }))).toBe(false)
    expect(hasCredentials(line({ status: 'closed', sipAccount: true }))).toBe(false)
    // An older service without the flag: a line with a number that is not pending had credentials.
    expect(hasCredentials(line({ status: 'lapsed' }))).toBe(true)
    expect(hasCredentials(line({ status: 'pending' }))).toBe(false)
  })

  it('says suspended, no 911 address or lapsed', () => {
    expect(whyOutOfService(line({ status: 'suspended' }))).toBe('serviceSuspended')
    expect(whyOutOfService(line({ status: 'pending', missing: ['e911'] }))).toBe('addressMissing')
    expect(whyOutOfService(line({ status: 'lapsed', missing: ['coverage'] }))).toBe('serviceLapsed')
  })
})
