/**
 * A Persian sentence writes its numbers one way: in Persian digits, as Intl writes them for 'fa'. The numbers a
 * screen places in a sentence (counts, minutes, days), the ones formatted beside them (money, dates) and the ones
 * the translation writes itself ("کد ۶ رقمی") must not mix with Latin digits in one string ("۱۰۰ … 100"). Sentences
 * are worded here by an i18next set up as the renderer's (src/renderer/src/i18n/interpolation.ts).
 */
import i18next, { type TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { INTERPOLATION, numbersInLanguage } from '../../../src/renderer/src/i18n/interpolation'
import { formatDay, formatInstant, formatMoney } from '../../../src/renderer/src/format-intl'
import { wordsFor } from '../../../src/renderer/src/words'

type Tree = { [k: string]: string | Tree }
const flatten = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v]] : flatten(v, `${prefix}${k}.`)
  )

const LATIN = /[0-9]/
const PERSIAN = /[۰-۹]/
/** A string that has both kinds of digits (for the failure message); '' when it keeps to one. */
const mixed = (s: string): string => (LATIN.test(s) && PERSIAN.test(s) ? s : '')

/** Placeholders that hold what a person types or quotes: shown with the digits it was written in. */
const IDENTIFIERS = [
  'address',
  'areaCode',
  'caller',
  'code',
  'device',
  'email',
  'exp',
  'host',
  'last4',
  'line',
  'number',
  'path',
  'phone',
  'postalCode',
  'reference',
  'remote',
  'serial',
  'version',
  'zone'
]

let t: TFunction
beforeAll(async () => {
  const i = i18next.createInstance()
  await i.use(numbersInLanguage).init({
    resources: Object.fromEntries(Object.entries(RESOURCES).map(([k, v]) => [k, { translation: v }])),
    lng: 'fa',
    fallbackLng: false,
    interpolation: INTERPOLATION
  })
  t = i.t
})

describe('Persian sentences', () => {
  it('write a number a screen passes in Persian digits, like Intl', () => {
    expect(t('minutes.pack_other', { name: 'x', minutes: 100, price: 'y' })).toContain('۱۰۰')
    expect(t('status.deviceCount', { count: 1234 })).toContain(new Intl.NumberFormat('fa').format(1234))
  })

  it('never mix Latin and Persian digits, whatever numbers fill them', () => {
    // Every Persian string, each of its placeholders given a number (and `count`): the translation's own digits
    // and the numbers put in must agree. What a person types or quotes (a phone number, a code, a card's last
    // digits) keeps its own digits, so it is filled with letters here.
    const mixing = flatten(RESOURCES.fa as Tree)
      .map(([key, value]) => {
        const names = [...value.matchAll(/{{\s*(\w+)/g)].map((m) => m[1] ?? '')
        const values = Object.fromEntries(
          [...names, 'count'].map((n) => [n, IDENTIFIERS.includes(n) ? 'ID' : 30])
        )
        return `${key}: ${mixed(t(key, values))}`
      })
      .filter((said) => !said.endsWith(': '))
    expect(mixing).toEqual([])
  })

  it('never mix them beside money, dates and durations formatted by code', () => {
    const money = { amountMinor: 1250, currency: 'USD' }
    const words = wordsFor(t, 'fa')
    const sample = [
      t('minutes.pack', {
        name: words.plan('intl-100'),
        minutes: 100,
        count: 100,
        price: formatMoney(money, 'fa')
      }),
      t('billing.minutesLeft', {
        left: 37,
        total: 100,
        count: 100,
        date: formatInstant('2026-12-04T10:00:00Z', 'fa')
      }),
      t('billing.promiseOffer', {
        amount: formatMoney(money, 'fa'),
        fee: formatMoney({ amountMinor: 99, currency: 'USD' }, 'fa'),
        days: 7,
        count: 7
      }),
      t('offers.tooSoon', { days: 90, count: 90, day: formatDay('2027-03-01', 'fa') }),
      t('tariff.rules', { days: 10, count: 10 }),
      t('voicemail.limits', { days: 30, count: 30, max: 100 }),
      t('forwarding.ringsOption', { count: 4, seconds: 24 }),
      t('account.phoneSignup.hint', { minutes: 10, count: 10 }),
      words.error(new DialtoneError('CONFLICT', 'x', [], 'ten-day-rule', { days: 10, date: '2026-12-01' })),
      words.error(new DialtoneError('CONFLICT', 'x', [], 'coverage-cap', { years: 5, date: '2031-12-01' })),
      words.issue({ code: 'too-long', params: { max: 100 } })
    ]
    for (const said of sample) {
      expect(PERSIAN.test(said), said).toBe(true)
      expect(LATIN.test(said), said).toBe(false)
    }
  })
})
