/** settleWithin: waits for work up to a bound, never longer, and never throws what the work threw. */
import { describe, expect, it } from 'vitest'
import { settleWithin } from '../../../src/shared/settle-within'

describe('settleWithin', () => {
  it('answers true when the work settles in time, resolved or rejected', async () => {
    expect(await settleWithin(Promise.resolve('done'), 1000)).toBe(true)
    expect(await settleWithin(Promise.reject(new Error('refused')), 1000)).toBe(true)
  })

  it('answers false at the bound when the work never settles', async () => {
    const started = Date.now()
    expect(await settleWithin(new Promise(() => undefined), 100)).toBe(false)
    const waited = Date.now() - started
    expect(waited).toBeGreaterThanOrEqual(95)
    expect(waited).toBeLessThan(1000)
  })
})
