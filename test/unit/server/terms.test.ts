/**
 * The terms of service documents: the version people accept today has an English text, every translation has
 * the same sections as the English one (so no clause is missing in a language), and a language without a
 * translation gets the English text marked as a fallback.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_LEGAL } from '../../../src/server/config'
import { TERMS, termsDocument } from '../../../src/server/legal/terms'
import { LANGUAGE_CODES } from '../../../src/shared/i18n/languages'

const sections = (text: string): number => text.split('\n').filter((l) => l.startsWith('## ')).length

describe('terms of service', () => {
  it('has the current version in English, and each translation complete', () => {
    expect(TERMS[DEFAULT_LEGAL.termsVersion]?.en).toMatch(/^# Dialtone Terms of Service/)
    for (const [version, texts] of Object.entries(TERMS)) {
      const english = texts.en ?? ''
      expect(sections(english), version).toBeGreaterThan(5)
      for (const [language, text] of Object.entries(texts)) {
        expect(sections(text ?? ''), `${version}/${language}`).toBe(sections(english))
        expect(text, `${version}/${language}`).toContain(version)
      }
    }
  })

  it('answers in the language asked, or in English marked as a fallback', () => {
    const v = DEFAULT_LEGAL.termsVersion
    for (const language of LANGUAGE_CODES) {
      const doc = termsDocument(v, language)
      const translated = TERMS[v]?.[language] !== undefined
      expect(doc).toMatchObject({ version: v, language: translated ? language : 'en', fallback: !translated })
    }
    expect(() => termsDocument('1999-01', 'en')).toThrow(/not found/)
  })
})
