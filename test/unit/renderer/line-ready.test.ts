/** The finished setup says "ready" only for a registered line with nothing wrong (line-ready.ts). */
import { describe, expect, it } from 'vitest'
import { lineReady } from '../../../src/renderer/src/components/setup/line-ready'
import type { LineStatus } from '../../../src/shared/ipc/phone'

const line = (over: Partial<LineStatus>): LineStatus => ({
  state: 'registered',
  number: '+12015550101',
  problem: null,
  retryAt: null,
  reason: null,
  ...over
})

describe('the finished setup', () => {
  it('is ready with a registered line and no problem', () => expect(lineReady(line({}))).toBe(true))
  it.each(['serviceSuspended', 'serviceLapsed', 'addressMissing'] as const)(
    'is not ready with a registered line that is %s (kept registered for 911)',
    (problem) => expect(lineReady(line({ problem }))).toBe(false)
  )
  it('is not ready before the line is there', () => {
    expect(lineReady(undefined)).toBe(false)
    expect(lineReady(line({ state: 'registering' }))).toBe(false)
  })
})
