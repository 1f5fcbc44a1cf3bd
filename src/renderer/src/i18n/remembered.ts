/**
 * The language last applied in this browser profile (localStorage), read by i18n for the first render and by
 * the first-paint script before any of the app's code has loaded; absent means "the system's language".
 */
import { LANGUAGE_CODES, matchLanguage, type LanguageCode } from '../../../shared/i18n/languages'

const REMEMBERED = 'dialtone.language'

/** The choice last applied in this profile, if any; storage may be off or hold junk, which reads as none. */
export function rememberedChoice(): LanguageCode | null {
  try {
    const v = localStorage.getItem(REMEMBERED)
    return (LANGUAGE_CODES as readonly (string | null)[]).includes(v) ? (v as LanguageCode) : null
  } catch {
    return null
  }
}

export function rememberChoice(choice: LanguageCode | null): void {
  try {
    if (choice) localStorage.setItem(REMEMBERED, choice)
    else localStorage.removeItem(REMEMBERED)
  } catch {
    // Storage turned off: the first paint follows the system's language until the settings arrive, as before.
  }
}

/** The language of the first render: the remembered choice, else the system's. */
export const firstLanguage = (): LanguageCode => rememberedChoice() ?? matchLanguage(navigator.languages)
