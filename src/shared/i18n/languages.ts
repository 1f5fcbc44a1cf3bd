/**
 * The languages Dialtone speaks: English plus the languages of the help pages the product was drawn from.
 * Direction lives here (not in i18next) so main, the renderer and tests agree on it.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'hr', name: 'Hrvatski', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'fa', name: 'فارسی', dir: 'rtl' },
  { code: 'ro', name: 'Română', dir: 'ltr' },
  { code: 'sl', name: 'Slovenščina', dir: 'ltr' }
] as const

export type LanguageCode = (typeof LANGUAGES)[number]['code']
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]]
export const DEFAULT_LANGUAGE: LanguageCode = 'en'

export const languageDir = (code: LanguageCode): 'ltr' | 'rtl' =>
  LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr'

/** Picks the best supported language for a BCP 47 list such as navigator.languages ('fr-CA' -> 'fr'). */
export function matchLanguage(preferred: readonly string[]): LanguageCode {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]
    const hit = LANGUAGES.find((l) => l.code === base)
    if (hit) return hit.code
  }
  return DEFAULT_LANGUAGE
}
