/**
 * Every code the service or main can send has words in every language, and the wording never lets the wire's
 * English through: the lists come from src/shared (reasons, field issues, formats, memos, notices, setup's
 * failures, the phone's call outcomes, failures and whys) and the service's own seeds (plans, offers), so a new
 * code without a sentence fails here.
 */
import i18next, { type TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { FORMAT_CODES } from '../../../src/shared/api/formats'
import { FIELD_ISSUE_CODES, issuesFromZod } from '../../../src/shared/api/issues'
import { MEMO_CODES, NOTICE_CODES } from '../../../src/shared/api/notes'
import { APP_REASON_CODES, REASON_CODES } from '../../../src/shared/api/reasons'
import { e911AddressSchema } from '../../../src/shared/numbers/e911'
import { formatPhoneNumber } from '../../../src/shared/numbers/phone-format'
import { contactDetails } from '../../../src/shared/api/identity'
import { emailAddress } from '../../../src/shared/api/common'
import { ERROR_CODES, DialtoneError } from '../../../src/shared/ipc/errors'
import { SETUP_FAILURE_CODES } from '../../../src/shared/ipc/setup'
import { historyEntrySchema } from '../../../src/shared/ipc/phone'
import { CALL_FAILURES, CALL_WHYS, isCallFailure } from '../../../src/shared/telephony/call-why'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { supportReference, waitWords, wordsFor } from '../../../src/renderer/src/words'
import { SEED_PLANS } from '../../../src/server/billing/catalog'
import { DEFAULT_BILLING } from '../../../src/server/config'

type Tree = { [k: string]: string | Tree }
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree)

const REQUIRED: readonly string[] = [
  ...REASON_CODES.map((c) => `errors.reason.${c}`),
  ...APP_REASON_CODES.map((c) => `errors.reason.${c}`),
  ...ERROR_CODES.map((c) => `errors.code.${c}`),
  ...SETUP_FAILURE_CODES.map((c) => `setup.failure.${c}`),
  ...historyEntrySchema.shape.outcome.options.map((c) => `phone.outcome.${c}`),
  ...CALL_FAILURES.map((c) => `phone.failure.${c}`),
  // The line's other reasons (the failures are worded as above: CallPanel.tsx).
  ...CALL_WHYS.filter((c) => !isCallFailure(c)).map((c) => `phone.why.${c}`),
  ...FIELD_ISSUE_CODES.map((c) => `errors.field.${c}`),
  ...FORMAT_CODES.map((c) => `errors.format.${c}`),
  ...MEMO_CODES.map((c) => `memo.${c}`),
  ...NOTICE_CODES.map((c) => `notice.${c}`),
  ...SEED_PLANS.map((p) => `catalog.plan.${p.code}`),
  ...DEFAULT_BILLING.upgradeOffers.flatMap((o) => [
    `catalog.offer.${o.id}.name`,
    `catalog.offer.${o.id}.description`
  ]),
  'errors.generic'
]

describe('every code has words', () => {
  for (const { code } of LANGUAGES)
    it(`in ${code}`, () => {
      const tree = RESOURCES[code] as Tree
      // A sentence that counts is there in plural forms (key_one, key_other…).
      const worded = (key: string): boolean =>
        [key, `${key}_other`].some((k) => typeof lookup(tree, k) === 'string')
      const missing = REQUIRED.filter((key) => !worded(key))
      expect(missing).toEqual([])
    })
})

describe('wording', () => {
  let t: TFunction
  beforeAll(async () => {
    const i = i18next.createInstance()
    await i.init({
      resources: Object.fromEntries(Object.entries(RESOURCES).map(([k, v]) => [k, { translation: v }])),
      lng: 'en',
      interpolation: { escapeValue: false }
    })
    t = i.t
  })
  const strip = (s: string): string => s.replace(/[\u2068\u2069]/g, '')

  it('words a known reason with its values and never the message', () => {
    const w = wordsFor(t, 'en')
    const err = new DialtoneError('CONFLICT', 'at most 200 numbers can be blocked', [], 'blocked-list-full', {
      max: 200
    })
    expect(strip(w.error(err))).toBe('At most 200 numbers can be blocked. Remove one first.')
  })

  it('asks a business member to turn to the owner where the place to act is the owner’s own Profile', () => {
    const err = new DialtoneError(
      'NOT_FOUND',
      'a confirmed email to send the code to',
      [],
      'no-confirmed-email'
    )
    expect(wordsFor(t, 'en').error(err)).toBe('Confirm an email first, so there is somewhere to send it.')
    for (const role of ['administrator', 'billing'] as const)
      expect(wordsFor(t, 'en', undefined, role).error(err)).toBe(
        'The account has no confirmed email to send it to yet: ask the account’s owner to confirm one.'
      )
    // A member's own emails are theirs to confirm: the same words as the owner's.
    const own = new DialtoneError('INVALID_ARGUMENT', 'confirm this email first', [], 'not-verified')
    expect(wordsFor(t, 'en', undefined, 'administrator').error(own)).toBe(wordsFor(t, 'en').error(own))
  })

  it("counts a reason's number in the language's plural forms", () => {
    const said = (lng: string, reason: string, params: Record<string, number>): string => {
      const inLng = ((key: string, o?: object) => t(key, { ...o, lng })) as TFunction
      return strip(wordsFor(inLng, lng).error(new DialtoneError('CONFLICT', 'refused', [], reason, params)))
    }
    expect(said('en', 'blocked-list-full', { max: 1 })).toBe(
      'At most 1 number can be blocked. Remove one first.'
    )
    expect(said('en', 'too-many-emails', { max: 5 })).toBe('An account can have at most 5 emails.')
    expect(said('hr', 'blocked-list-full', { max: 3 })).toBe(
      'Može se blokirati najviše 3 broja. Najprije uklonite jedan.'
    )
    expect(said('sl', 'blocked-list-full', { max: 2 })).toBe(
      'Blokirate lahko največ 2 številki. Najprej odstranite eno.'
    )
    expect(said('ro', 'period-too-long', { days: 366 })).toBe(
      'Perioada poate avea cel mult 366 de zile. Alegeți o perioadă mai scurtă.'
    )
  })

  it('says a wait in minutes, hours or days, by its length', () => {
    const w = wordsFor(t, 'en')
    const wait = (retryAfterS: number) =>
      strip(w.error(new DialtoneError('CONFLICT', 'too many', [], 'rate-limited', { retryAfterS })))
    expect(wait(30)).toBe('Too many attempts. Try again in 1 minute.')
    expect(wait(7200)).toBe('Too many attempts. Try again in 120 minutes.')
    expect(wait(7201)).toBe('Too many attempts. Try again in 3 hours.')
    expect(wait(86_400)).toBe('Too many attempts. Try again in 24 hours.')
    expect(wait(29 * 86_400 + 5)).toBe('Too many attempts. Try again in 30 days.')
    // A budget others spent: said so, not "too many attempts" (rate-limit.ts, Limit's reason).
    const shared = (reason: string, retryAfterS: number) =>
      strip(w.error(new DialtoneError('CONFLICT', 'too many', [], reason, { retryAfterS })))
    expect(shared('many-requests', 40)).toBe(
      'Many people are asking for this right now. Nothing was changed. Try again in 1 minute.'
    )
    expect(shared('sms-area-paused', 19 * 3600)).toMatch(/this area code today.* Try again in 19 hours\.$/)
    expect(waitWords('fr', 3 * 86_400).replace(/\s/g, ' ')).toBe('3 jours')
    expect(waitWords('fa', 5 * 3600)).toBe('۵ ساعت')
  })

  it('shows a phone number in a memo or reason as people read it, isolated', () => {
    const w = wordsFor(t, 'en', formatPhoneNumber)
    const memo = w.memo('call', { number: '+12125550100', minutes: 3 })
    expect(memo).toContain('\u2068(212) 555-0100\u2069')
    expect(strip(w.memo('call', { number: '+442079460958', minutes: 3 }))).toBe(
      'Call to +44 20 7946 0958, 3 min'
    )
  })

  it('gives an unknown reason one generic sentence and a reference without the raw text', () => {
    const w = wordsFor(t, 'en')
    const raw = 'bad argument to account.startTrial: acceptances.termsVersion: Too small'
    const err = new DialtoneError('INVALID_ARGUMENT', raw, [], 'something-new')
    const said = strip(w.error(err))
    expect(said).toContain(supportReference(err))
    expect(said).not.toContain('termsVersion')
    expect(supportReference(err)).toMatch(/^INVALID_ARGUMENT-something-new-[0-9a-f]{6}$/)
  })

  it('words zod issues as field codes: empty, too long, bad format, wrong type', () => {
    const w = wordsFor(t, 'en')
    const input = { name: '', email: 'x', extra: 1 }
    const empty = z.object({ name: contactDetails.shape.name, email: emailAddress }).strict().safeParse(input)
    expect(empty.success).toBe(false)
    const issues = issuesFromZod(empty.error!, input)
    expect(issues.find((i) => i.path === 'name')).toMatchObject({ code: 'required' })
    expect(issues.find((i) => i.path === 'email')).toMatchObject({
      code: 'bad-format',
      params: { format: 'email' }
    })
    expect(issues.find((i) => i.code === 'unknown-field')).toMatchObject({ params: { keys: 'extra' } })
    const long = contactDetails.safeParse({ name: 'n'.repeat(500) })
    const tooLong = issuesFromZod(long.error!, { name: 'n'.repeat(500) }).find((i) => i.path === 'name')!
    expect(tooLong).toMatchObject({ code: 'too-long', params: { max: 100 } })
    expect(strip(w.issue(tooLong))).toBe('Use at most 100 characters.')
    const nullNumber = z.object({ n: z.number() }).safeParse({ n: 'x' })
    expect(issuesFromZod(nullNumber.error!, { n: 'x' })[0]).toMatchObject({ code: 'not-a-number' })
    const missing = z.object({ n: z.number() }).safeParse({ n: null })
    expect(issuesFromZod(missing.error!, { n: null })[0]).toMatchObject({ code: 'required' })
  })

  it('names the format of the 911 address rules', () => {
    const input = { street: 'PO Box 12', city: 'Albany', region: 'XX', postalCode: '1', country: 'US' }
    const r = e911AddressSchema.safeParse(input)
    const byPath = Object.fromEntries(issuesFromZod(r.error!, input).map((i) => [i.path, i]))
    expect(byPath.region).toMatchObject({ code: 'bad-format', params: { format: 'region' } })
    expect(byPath.postalCode).toMatchObject({ code: 'bad-format', params: { format: 'zip-code' } })
    expect(byPath.street).toMatchObject({ code: 'bad-format', params: { format: 'po-box' } })
  })

  it('names a card brand properly, the same everywhere, and an unknown one as a card', () => {
    const w = wordsFor(t, 'en')
    expect(w.cardBrand('visa')).toBe('Visa')
    expect(w.cardBrand('amex')).toBe('American Express')
    expect(w.cardBrand('mastercard')).toBe('Mastercard')
    expect(w.cardBrand('')).toBe('Card')
    expect(w.cardBrand('no-such.brand')).toBe('Card')
    expect(strip(t('billing.savedCard', { brand: w.cardBrand('visa'), last4: '4242', exp: '12/30' }))).toBe(
      'Visa ending 4242, expires 12/30'
    )
  })

  it('words memos and notices in Persian with isolated values', () => {
    const w = wordsFor(t, 'fa')
    // i18next's t follows its own language; switch to fa for this check.
    const fa = (key: string, o?: object) => t(key, { ...o, lng: 'fa' })
    const wf = wordsFor(fa as TFunction, 'fa')
    expect(wf.memo('top-up', { last4: '4242' })).toContain('\u20684242\u2069')
    expect(wf.plan('line-1y')).toBe('سرویس خط، یک‌ساله')
    expect(w.notice('no-such-notice', {})).toContain('notice-no-such-notice')
  })
})
