/**
 * A written request begun from where the app asks for one (a company's tariff change, or withdrawing one): the
 * link's address carries the kind, the line and the date to the support form on Help and back out intact, an
 * address that is not one of these begins nothing, and the request's words — in every language, with the line and
 * the date in them — are text the support request accepts (no bidi isolates or marks: the service refuses
 * invisible format characters).
 */
import type { TFunction } from 'i18next'
import { translators } from '../../support/translators'
import { beforeAll, describe, expect, it } from 'vitest'
import { messageText } from '../../../src/shared/api/support'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { pageFromHash } from '../../../src/renderer/src/page-from-hash'
import { formatDay } from '../../../src/renderer/src/format-intl'
import {
  DRAFTS,
  type DraftAsked,
  draftFromHash,
  draftHref,
  draftText
} from '../../../src/renderer/src/components/help/support-draft'

const asked: DraftAsked = { kind: 'plan-change', lineId: 'ln_abc123', date: '2027-01-01' }

describe('a written request begun on Help', () => {
  let ts: Record<string, TFunction> = {}
  beforeAll(async () => {
    ts = await translators({ asTheApp: true })
  })

  it('is asked for by an address on Help that carries the kind, the line and the date', () => {
    for (const kind of DRAFTS) {
      const href = draftHref({ ...asked, kind })
      expect(pageFromHash(href)).toBe('help')
      expect(draftFromHash(href)).toEqual({ ...asked, kind })
    }
    expect(draftFromHash('#/help')).toBeUndefined()
    expect(draftFromHash('#/help?draft=something-else&line=ln_a&date=2027-01-01')).toBeUndefined()
    expect(draftFromHash('#/help?draft=plan-change&line=ln_a&date=tomorrow')).toBeUndefined()
    expect(draftFromHash('#/help?draft=plan-change&line=%3Cb%3E&date=2027-01-01')).toBeUndefined()
  })

  for (const { code } of LANGUAGES)
    it(`is worded in ${code} as text support takes, with the line and the date`, () => {
      const t = ts[code] as TFunction
      for (const kind of DRAFTS) {
        const text = draftText(t, { ...asked, kind }, '+1 201-555-0100', code)
        expect(text, `${code} ${kind}`).toContain('+1 201-555-0100')
        expect(text, `${code} ${kind}`).not.toContain('{{')
        // The date as the screens write it in that language (its calendar and digits), without the marks.
        expect(text, `${code} ${kind}`).toContain(formatDay(asked.date, code).replace(/\p{Cf}/gu, ''))
        expect(messageText.safeParse(text).success, `${code} ${kind}: ${JSON.stringify(text)}`).toBe(true)
      }
    })
})
