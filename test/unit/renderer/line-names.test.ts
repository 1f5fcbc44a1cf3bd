/**
 * Past orders, receipts and refunds name the line an item paid for when it has no number yet (order-words.ts) as
 * the Lines tab does, by its label, else by its dongle's serial, in every language; a numbered line keeps its
 * number, and an item whose line the account no longer lists keeps the plan alone.
 */
import type { TFunction } from 'i18next'
import { translators } from '../../support/translators'
import { beforeAll, describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { wordsFor } from '../../../src/renderer/src/words'
import { itemWords, lineNames } from '../../../src/renderer/src/components/account/order-words'

const strip = (s: string): string => s.replace(/[\u2068\u2069]/g, '')
const line = (id: string, label: string | null, deviceSerial: string) =>
  ({ id, label, deviceSerial }) as Parameters<typeof lineNames>[0][number]
const LINES = [line('ln_a', 'Front desk', 'MJ-0001'), line('ln_b', null, 'MJ-0002')]
const item = (lineId: string | null, phoneNumber: string | null) =>
  ({
    kind: 'renewal',
    planCode: 'line-1m',
    offerId: null,
    lineId,
    phoneNumber,
    amount: { amountMinor: 999, currency: 'USD' },
    paidThrough: null
  }) as Parameters<typeof itemWords>[0]

describe('the line of an order item without a number', () => {
  let ts: Record<string, TFunction> = {}
  beforeAll(async () => {
    ts = await translators({ asTheApp: true })
  })
  const words = (code: string, i: Parameters<typeof itemWords>[0]) => {
    const t = ts[code] as TFunction
    return strip(itemWords(i, t, wordsFor(t, code), (n: string) => n, lineNames(LINES, t)))
  }

  it('is named by its label, else its dongle, in English; a numbered line by its number', () => {
    const plan = words('en', item(null, null))
    expect(words('en', item('ln_a', null))).toBe(`${plan} for Front desk`)
    expect(words('en', item('ln_b', null))).toBe(`${plan} for Dongle MJ-0002`)
    expect(words('en', item('ln_b', '+12015550101'))).toBe(`${plan} for +12015550101`)
    // A line the account no longer lists (handed over): the plan alone, as before.
    expect(words('en', item('ln_gone', null))).toBe(plan)
  })

  for (const { code } of LANGUAGES)
    it(`tells two unnumbered lines apart in ${code}`, () => {
      const [a, b] = [words(code, item('ln_a', null)), words(code, item('ln_b', null))]
      expect(a).toContain('Front desk')
      expect(b).toContain('MJ-0002')
      expect(a).not.toBe(b)
      expect(a).not.toBe(words(code, item(null, null)))
    })
})
