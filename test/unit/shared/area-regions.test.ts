/**
 * The area-code regions table: every code in it is a geographic NANP code of its region's country, none is in two
 * regions, Canada's list is what nanp.ts calls Canadian, "nearest" ranks the same region first and never crosses
 * a border, and the dev pool's area codes are the ones docs/service.md lists.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SEED_AREA_CODES } from '../../../src/server/numbers/pool'
import {
  CANADIAN_AREA_CODES,
  nearestAreaCodes,
  regionOfAreaCode
} from '../../../src/shared/numbers/area-regions'
import { countryOfAreaCode, isAssignableAreaCode } from '../../../src/shared/numbers/nanp'

const ALL = Array.from({ length: 800 }, (_, i) => String(200 + i))

describe('area-code regions', () => {
  it('places only assignable codes, each in one region of the right country', () => {
    const placed = ALL.filter((c) => regionOfAreaCode(c) !== null)
    expect(placed.length).toBeGreaterThan(380)
    for (const code of placed) {
      expect(isAssignableAreaCode(code), code).toBe(true)
      const region = regionOfAreaCode(code) ?? ''
      const canadian = ['BC', 'AB', 'SK', 'MB', 'ON', 'QC', 'NB', 'NS/PE', 'NL', 'YT/NT/NU'].includes(region)
      expect(countryOfAreaCode(code), `${code} in ${region}`).toBe(canadian ? 'CA' : 'US')
    }
    for (const code of CANADIAN_AREA_CODES) expect(countryOfAreaCode(code), code).toBe('CA')
    expect(regionOfAreaCode('201')).toBe('NJ')
    expect(regionOfAreaCode('416')).toBe('ON')
    expect(regionOfAreaCode('555')).toBeNull()
  })

  it('ranks the same region first, then the nearest regions, within one country', () => {
    const pool = ['212', '617', '312', '415', '713', '416', '604', '973', '646']
    expect(nearestAreaCodes('201', pool, countryOfAreaCode)).toEqual(['973', '212', '646', '617'])
    expect(nearestAreaCodes('917', pool, countryOfAreaCode)[0]).toMatch(/^(212|646)$/)
    expect(nearestAreaCodes('510', pool, countryOfAreaCode, 1)).toEqual(['415'])
    expect(nearestAreaCodes('905', pool, countryOfAreaCode)).toEqual(['416', '604'])
    expect(nearestAreaCodes('212', ['212'], countryOfAreaCode)).toEqual([])
    expect(nearestAreaCodes('876', pool, countryOfAreaCode)).toEqual([])
  })

  it('lists the dev pool area codes in docs/service.md', () => {
    const docs = readFileSync(join(import.meta.dirname, '../../../docs/service.md'), 'utf8')
    const line = /dev number pool[\s\S]*?SEED_AREA_CODES/.exec(docs)?.[0] ?? ''
    const listed = [...line.matchAll(/`(\d{3})`/g)].map((m) => m[1])
    expect(listed.sort()).toEqual([...SEED_AREA_CODES].sort())
  })
})
