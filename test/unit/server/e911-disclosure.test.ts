/**
 * The 911 disclosure as versioned documents (src/server/legal/e911.ts): the version people acknowledge today is
 * there in every app language (a person must understand what they tick), each a translation of the English and
 * not the English again; the English is the text version 2026-11 was acknowledged with (an acceptance records the
 * version, so its text may never change); a language without a translation gets the English marked as a fallback.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_LEGAL } from '../../../src/server/config'
import { legalDocument } from '../../../src/server/legal/documents'
import { E911_DISCLOSURES, e911Document } from '../../../src/server/legal/e911'
import { LANGUAGE_CODES } from '../../../src/shared/i18n/languages'

const flat = (s: string): string => s.replace(/\s+/g, ' ').trim()

describe('the 911 disclosure', () => {
  it('is there in every language for the version acknowledged today, each translated', () => {
    const texts = E911_DISCLOSURES[DEFAULT_LEGAL.e911DisclosureVersion] ?? {}
    const english = texts.en ?? ''
    for (const language of LANGUAGE_CODES) {
      const doc = e911Document(DEFAULT_LEGAL.e911DisclosureVersion, language)
      expect(doc, language).toMatchObject({ language, fallback: false })
      // Every translation names 911, in the language's digits.
      expect(doc.text, language).toMatch(/911|۹۱۱/)
      if (language !== 'en') expect(flat(doc.text), language).not.toContain('911 calls over this line')
    }
    expect(flat(english)).toBe(
      '911 calls over this line may not work, or may not reach the right emergency centre, if: your power or ' +
        'internet connection fails; the dongle or computer is off, broken or unplugged; you move the dongle to a ' +
        'new address without updating your registered 911 address; or the 911 database has not yet been updated. ' +
        'Emergency services will be sent to the registered 911 address of the line. Tell everyone who may use ' +
        'this phone, and keep the 911 warning label on it.'
    )
  })

  it('answers in English marked as a fallback where a version has no translation, and refuses unknown versions', () => {
    const texts = { '2030-01': { en: 'English only.' } }
    expect(legalDocument(texts, '2030-01', 'sl')).toEqual({
      version: '2030-01',
      language: 'en',
      fallback: true,
      text: 'English only.'
    })
    expect(legalDocument(texts, '2030-01', 'en')).toMatchObject({ fallback: false })
    expect(legalDocument(texts, '1999-01', 'en')).toBeUndefined()
    expect(() => e911Document('1999-01', 'fr')).toThrow(/not found/)
  })
})
