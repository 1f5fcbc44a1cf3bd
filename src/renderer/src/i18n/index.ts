/**
 * i18next for the renderer: every string the shell shows, in the six languages, bundled (no network), with
 * the page's lang and dir kept in step so Persian lays out right-to-left.
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { isolate } from '../../../shared/i18n/bidi'
import { languageDir, matchLanguage, type LanguageCode } from '../../../shared/i18n/languages'
import { RESOURCES } from './resources'

export async function initI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: Object.fromEntries(Object.entries(RESOURCES).map(([k, v]) => [k, { translation: v }])),
    lng: matchLanguage(navigator.languages),
    fallbackLng: 'en',
    // React escapes markup itself; what every value placed in a sentence needs instead is bidi isolation, so a
    // number ("+1 212 555 0100"), an amount or a code keeps its order inside Persian text. i18next's escape hook
    // runs on every interpolated value, so no call site can forget it.
    interpolation: { escapeValue: true, escape: isolate },
    returnNull: false
  })
  applyDocumentLanguage(i18next.language as LanguageCode)
  return i18next
}

/** The person's choice, or the system's language when they chose none. */
export async function switchLanguage(choice: LanguageCode | null): Promise<void> {
  const code = choice ?? matchLanguage(navigator.languages)
  if (i18next.language !== code) await i18next.changeLanguage(code)
  applyDocumentLanguage(code)
}

function applyDocumentLanguage(code: LanguageCode): void {
  document.documentElement.lang = code
  document.documentElement.dir = languageDir(code)
}
