/** The test-count floors of `npm test`: a suite that runs fewer tests than recorded fails, with a line saying so. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { floorShortfall, readFloors } from '../../../scripts/test-floors.mjs'

const SUITES = ['vitest', 'media', 'usb-vm', 'e2e']
const dir = mkdtempSync(join(tmpdir(), 'dialtone-floors-'))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('test-count floors', () => {
  it('the committed floors name every counting suite', () => {
    const floors = readFloors(join(import.meta.dirname, '../../floors.json'), SUITES)
    expect(Object.keys(floors).sort()).toEqual([...SUITES].sort())
    for (const n of Object.values(floors)) expect(n).toBeGreaterThan(0)
  })

  it('fails a suite below its floor with a plain line, and passes one at or above it', () => {
    const floors = { vitest: 692, e2e: 18 }
    expect(floorShortfall('vitest', 691, floors)).toBe(
      'vitest: 691 tests ran, fewer than its floor of 692 in test/floors.json; counted as failed'
    )
    expect(floorShortfall('vitest', 0, floors)).toMatch(/0 tests ran/)
    expect(floorShortfall('vitest', 692, floors)).toBeNull()
    expect(floorShortfall('vitest', 900, floors)).toBeNull()
    expect(floorShortfall('media', 0, floors)).toBeNull() // no floor recorded
  })

  it('refuses a floors file that is not what it should be, saying what is wrong', () => {
    expect(() => readFloors(file('bad.json', '{ nope'), SUITES)).toThrow(/not readable JSON/)
    expect(() => readFloors(file('array.json', '[1]'), SUITES)).toThrow(/must be an object/)
    expect(() => readFloors(file('unknown.json', '{"vitets": 3}'), SUITES)).toThrow(
      /names a suite test-all does not run: vitets/
    )
    expect(() => readFloors(file('fraction.json', '{"media": 2.5}'), SUITES)).toThrow(
      /floor of media must be a whole number/
    )
    expect(() => readFloors(file('negative.json', '{"media": -1}'), SUITES)).toThrow(/whole number/)
    expect(() => readFloors(file('string.json', '{"media": "9"}'), SUITES)).toThrow(/whole number/)
  })
})
