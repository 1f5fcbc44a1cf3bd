/**
 * Ids (secrets.ts newId): 15 random bytes each, taken from a pool the CSPRNG refills; across several refills every
 * id is well formed and none repeats (a byte handed out twice, or a refill missed, would repeat or zero an id).
 */
import { describe, expect, it } from 'vitest'
import { newId } from '../../../src/server/secrets'

describe('newId', () => {
  it('gives distinct, well-formed ids across several refills of its pool', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => newId(i % 2 ? 'ord' : 'cov'))
    expect(new Set(ids).size).toBe(ids.length)
    for (const [i, id] of ids.entries())
      expect(id).toMatch(new RegExp(`^${i % 2 ? 'ord' : 'cov'}_[\\w-]{20}$`))
    // No id is the pool's initial zeros (AAAA...) nor a run of one byte.
    expect(ids.filter((id) => /_(.)\1{19}$/.test(id))).toEqual([])
  })
})
