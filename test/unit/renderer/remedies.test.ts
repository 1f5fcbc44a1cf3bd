/**
 * No dead ends in refusals: every refusal whose sentence sends the person somewhere else ("Add a card first",
 * "Please sign in again", "contact support") comes with a link to a place the app really has, worded in every
 * language; Field.tsx's FormError shows it except on that very place (test/e2e/dead-ends.spec.ts sees it shown).
 */
import { describe, expect, it } from 'vitest'
import { APP_REASON_CODES, REASON_CODES } from '../../../src/shared/api/reasons'
import { ACCOUNT_SECTIONS, PAGES } from '../../../src/shared/ipc/app-pages'
import { ERROR_CODES } from '../../../src/shared/ipc/errors'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { pathOf } from '../../../src/renderer/src/page-from-hash'
import { CALL_FAILURES } from '../../../src/shared/telephony/call-why'
import { mayCall } from '../../../src/shared/api/access'
import {
  CALL_FAILURE_REMEDIES,
  CODE_REMEDIES,
  REASON_REMEDIES,
  SUPPORT,
  asksOwner,
  remedyFor,
  samePlace
} from '../../../src/renderer/src/remedies'

type Tree = { [k: string]: string | Tree }
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree)
const en = RESOURCES.en as Tree
const english = (key: string): string => {
  const v = lookup(en, key) ?? lookup(en, `${key}_other`)
  return typeof v === 'string' ? v : ''
}

/** What in a sentence sends the person to another place of the app to act. */
const SENDS_ELSEWHERE =
  /\b(sign in|contact support|in Settings|add a (card|newer card|billing address)|top up|renew (it|the line)|confirm (an|this) email|preferred email|open a new one|on the (Device|Account) page|in Billing|on Help)\b/i

const REMEDIES = [
  ...Object.values(REASON_REMEDIES),
  ...Object.values(CODE_REMEDIES),
  ...Object.values(CALL_FAILURE_REMEDIES),
  SUPPORT
]

/** What in a failed call's sentence names the place that lifts it: "(Account, Connected services)", "repaid". */
const CALL_NAMES_A_PLACE = /\((Account|Settings)\b|\brepaid\b|\btop up\b/i

describe('refusals that send the person elsewhere', () => {
  it('finds such sentences (the pattern itself works)', () => {
    expect(SENDS_ELSEWHERE.test(english('errors.reason.no-card'))).toBe(true)
    expect(SENDS_ELSEWHERE.test(english('errors.reason.period-in-future'))).toBe(false)
  })

  it('lead to the place, for every reason and code so worded', () => {
    const reasons = [...REASON_CODES, ...APP_REASON_CODES].filter((r) =>
      SENDS_ELSEWHERE.test(english(`errors.reason.${r}`))
    )
    expect(reasons.length).toBeGreaterThan(10)
    expect(reasons.filter((r) => !REASON_REMEDIES[r])).toEqual([])
    const codes = ERROR_CODES.filter((c) => SENDS_ELSEWHERE.test(english(`errors.code.${c}`)))
    expect(codes.filter((c) => !CODE_REMEDIES[c])).toEqual([])
  })

  it('a failed call whose sentence names the place to fix it leads there', () => {
    const named = CALL_FAILURES.filter((f) => CALL_NAMES_A_PLACE.test(english(`phone.failure.${f}`)))
    expect(named).toEqual(expect.arrayContaining(['internationalOff', 'callsHeld', 'noCredit']))
    expect(named.filter((f) => !CALL_FAILURE_REMEDIES[f])).toEqual([])
    expect(CALL_FAILURE_REMEDIES.internationalOff?.href).toBe('#/account/overview?focus=services')
    expect(CALL_FAILURE_REMEDIES.callsHeld?.href).toBe('#/account/overview?focus=balance')
    // Want of credit: the Balance card, where the balance is topped up and minutes packs are bought.
    expect(CALL_FAILURE_REMEDIES.noCredit?.href).toBe('#/account/overview?focus=balance')
    expect(CALL_FAILURE_REMEDIES.noCredit?.routes).toEqual(['topUp', 'buyMinutes'])
    // Shown to whoever may act there: the owner, not a business's line user.
    for (const remedy of Object.values(CALL_FAILURE_REMEDIES)) {
      expect(remedy.routes.every((r) => mayCall('owner', r))).toBe(true)
      expect(remedy.routes.every((r) => mayCall('line', r))).toBe(false)
    }
  })

  it('lead to places the app has', () => {
    for (const { href } of REMEDIES) {
      const [page = '', section] = pathOf(href)
      expect(href, href).toMatch(/^#\//)
      expect(PAGES as readonly string[], href).toContain(page)
      if (section !== undefined) expect(ACCOUNT_SECTIONS as readonly string[], href).toContain(section)
    }
  })

  for (const { code } of LANGUAGES)
    it(`name the place in ${code}`, () => {
      const tree = RESOURCES[code] as Tree
      for (const { label } of REMEDIES) expect(typeof lookup(tree, label), label).toBe('string')
    })

  it('follow the sentence chosen: the reason’s, else the code’s, else the generic one, which asks for support', () => {
    expect(remedyFor({ code: 'CONFLICT', reason: 'no-card' })?.href).toBe('#/account/billing')
    // A known reason fixed where it is shown: no link.
    expect(remedyFor({ code: 'CONFLICT', reason: 'period-in-future' })).toBeUndefined()
    expect(remedyFor({ code: 'UNAUTHENTICATED' })?.href).toBe('#/account')
    expect(remedyFor({ code: 'NOT_FOUND' })).toBeUndefined()
    expect(remedyFor({ code: 'CONFLICT', reason: 'something-new' })).toBe(SUPPORT)
    expect(remedyFor({ code: 'SOMETHING_NEW' })).toBe(SUPPORT)
  })

  it('lead a business member nowhere where the place is the owner’s, and say to ask the owner in every language', () => {
    const ownerOnly = Object.entries(REASON_REMEDIES).filter(([, r]) => r.ownerOnly)
    expect(ownerOnly.map(([reason]) => reason).sort()).toEqual(['no-billing-address', 'no-confirmed-email'])
    for (const [reason, remedy] of ownerOnly) {
      expect(remedyFor({ code: 'CONFLICT', reason })).toBe(remedy)
      for (const role of ['administrator', 'billing', 'line'] as const) {
        expect(remedyFor({ code: 'CONFLICT', reason }, role)).toBeUndefined()
        expect(asksOwner(reason, role)).toBe(true)
      }
      expect(asksOwner(reason, 'owner')).toBe(false)
      for (const { code } of LANGUAGES)
        expect(typeof lookup(RESOURCES[code] as Tree, `errors.askOwner.${reason}`), `${code} ${reason}`).toBe(
          'string'
        )
      expect(english(`errors.askOwner.${reason}`)).toMatch(/ask the account’s owner/)
    }
    // The person's own emails stay theirs: the link to their Profile.
    expect(remedyFor({ code: 'INVALID_INPUT', reason: 'not-verified' }, 'administrator')?.href).toBe(
      '#/account/profile'
    )
  })

  it('know the place shown: the same page, and on the Account page the same part', () => {
    expect(samePlace('#/account/billing', '#/account/billing?x=1')).toBe(true)
    expect(samePlace('#/account', '#/account/overview')).toBe(true)
    expect(samePlace('#/account/billing', '#/account/overview')).toBe(false)
    expect(samePlace('#/help', '#/account/billing')).toBe(false)
    expect(samePlace('#/settings', '#/settings')).toBe(true)
  })
})
