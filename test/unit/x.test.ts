import { it } from 'vitest'
import { addMonths } from '../../src/server/clock'
it('x', () => {
  const d = new Date('2026-11-22T06:31:12.345Z')
  console.log(addMonths(d, 12).toISOString())
})
