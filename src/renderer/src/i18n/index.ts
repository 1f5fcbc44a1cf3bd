/**
 * i18next for the renderer: every string the shell shows, in the six languages, with the page's lang and dir kept
 * in step so Persian lays out right-to-left. Only the person's language is loaded: each locale is its own chunk
 * of the build (no network beyond the app's own files), fetched before the first render and again only when the
 * person picks another language. The locale tests read all six through ./resources, which the renderer does not
 * import.
 *
 * The person's choice lives in main's settings, which answer only once main's brain is up: in the web host that is
 * most of a second after the first paint. So the language last applied is also remembered in this profile's
 * localStorage and used for the first render; a choice made elsewhere (another tab, main's settings file) still
 * wins when the settings arrive. Without it a person who chose French on an English system saw English first.
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { isolate } from '../../../shared/i18n/bidi'
import { languageDir, matchLanguage, type LanguageCode } from '../../../shared/i18n/languages'
import { firstLanguage, rememberChoice } from './remembered'

type Translation = Record<string, unknown>

/** One loader per language; the Record type makes the compiler hold it to the shared LANGUAGES table. */
const LOCALES: Record<LanguageCode, () => Promise<{ default: Translation }>> = {
  en: () => import('./locales/en.json'),
  hr: () => import('./locales/hr.json'),
  fr: () => import('./locales/fr.json'),
  fa: () => import('./locales/fa.json'),
  ro: () => import('./locales/ro.json'),
  sl: () => import('./locales/sl.json')
}

/** Loads a language's words into i18next once; later calls for it resolve at once. */
async function ensureLoaded(code: LanguageCode): Promise<void> {
  if (i18next.hasResourceBundle(code, 'translation')) return
  const { default: words } = await LOCALES[code]()
  i18next.addResourceBundle(code, 'translation', words)
}

export async function initI18n(): Promise<typeof i18next> {
  const lng = firstLanguage()
  // Asked for before anything else, so the download runs while the rest of the app's code loads.
  const words = LOCALES[lng]()
  await i18next.use(initReactI18next).init({
    resources: {},
    partialBundledLanguages: true,
    lng,
    // Every locale carries every key (test/unit/renderer/locales.test.ts), so no second language is fetched as
    // a fallback: the person's one is complete.
    fallbackLng: false,
    // React escapes markup itself; what every value placed in a sentence needs instead is bidi isolation, so a
    // number ("+1 212 555 0100"), an amount or a code keeps its order inside Persian text. i18next's escape hook
    // runs on every interpolated value, so no call site can forget it.
    interpolation: { escapeValue: true, escape: isolate },
    returnNull: false
  })
  i18next.addResourceBundle(lng, 'translation', (await words).default)
  applyDocumentLanguage(lng)
  return i18next
}

/** The person's choice, or the system's language when they chose none; its words are loaded first. */
export async function switchLanguage(choice: LanguageCode | null): Promise<void> {
  const code = choice ?? matchLanguage(navigator.languages)
  await ensureLoaded(code)
  if (i18next.language !== code) await i18next.changeLanguage(code)
  applyDocumentLanguage(code)
  rememberChoice(choice)
}

function applyDocumentLanguage(code: LanguageCode): void {
  document.documentElement.lang = code
  document.documentElement.dir = languageDir(code)
}
