/**
 * What every server-side word catalogue owes each language (the PDFs' src/server/pdf/locales, the messages'
 * src/server/mail/locales): every key the English catalogue has and no other, each with the same {placeholders},
 * none empty, and not the English left in place (`leftInEnglish` says which unchanged texts count: each catalogue
 * has words spelled alike across languages that may stay).
 */
import { expect } from 'vitest'
import type { LanguageCode } from '../../src/shared/i18n/languages'

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()

export function expectCatalogueComplete(
  catalogs: Readonly<Record<LanguageCode, Readonly<Record<string, string>>>>,
  code: LanguageCode,
  leftInEnglish: (text: string) => boolean
): void {
  const english = catalogs.en
  const catalog = catalogs[code]
  expect(Object.keys(catalog).sort()).toEqual(Object.keys(english).sort())
  for (const [key, text] of Object.entries(english)) {
    expect(placeholders(catalog[key] ?? ''), `${code} ${key}`).toEqual(placeholders(text))
    expect(catalog[key]?.trim(), `${code} ${key}`).not.toBe('')
  }
  if (code !== 'en') {
    const same = Object.keys(english).filter(
      (k) => catalog[k] === english[k] && leftInEnglish(catalog[k] ?? '')
    )
    expect(same, code).toEqual([])
  }
}
