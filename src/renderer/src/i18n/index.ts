/**
 * i18next for the renderer: every string the shell shows, in the six languages, with the page's lang and dir kept
 * in step so Persian lays out right-to-left. Only the person's language is loaded, and of it first only the words
 * the first page can show: each locale is two chunks of the build (no network beyond the app's own files), the
 * first fetched before the first render, the rest with the first page shown that needs it, again only when the
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
import { languageDir, matchLanguage, type LanguageCode } from '../../../shared/i18n/languages'
import { INTERPOLATION, numbersInLanguage } from './interpolation'
import { firstLanguage, rememberChoice } from './remembered'

type Translation = Record<string, unknown>
type Part = 'first' | 'later'
type Loader = () => Promise<{ default: Translation }>

/**
 * Two loaders per language, its words in two parts (scripts/locale-split.ts): what the first page can show, and
 * the rest, which the later pages load with their own code (loadLaterWords). The Record type makes the compiler
 * hold it to the shared LANGUAGES table.
 */
const LOCALES: Record<LanguageCode, Record<Part, Loader>> = {
  en: { first: () => import('./locales/en.json?first'), later: () => import('./locales/en.json?later') },
  hr: { first: () => import('./locales/hr.json?first'), later: () => import('./locales/hr.json?later') },
  fr: { first: () => import('./locales/fr.json?first'), later: () => import('./locales/fr.json?later') },
  fa: { first: () => import('./locales/fa.json?first'), later: () => import('./locales/fa.json?later') },
  ro: { first: () => import('./locales/ro.json?first'), later: () => import('./locales/ro.json?later') },
  sl: { first: () => import('./locales/sl.json?first'), later: () => import('./locales/sl.json?later') }
}

/** The parts added to i18next, per language: 'en/first'. */
const loaded = new Set<string>()
/** Set once a later page has asked for the rest of the words: a language picked later loads both parts. */
let laterWanted = false

/** Adds one part of a language's words to i18next once (merged into the other part, key by key). */
async function ensurePart(code: LanguageCode, part: Part, words: ReturnType<Loader> = LOCALES[code][part]()) {
  if (loaded.has(`${code}/${part}`)) return
  i18next.addResourceBundle(code, 'translation', (await words).default, true, false)
  loaded.add(`${code}/${part}`)
}

/** Loads what a language needs now: its first part, and the rest too once a later page has been shown. */
async function ensureLoaded(code: LanguageCode): Promise<void> {
  await ensurePart(code, 'first')
  // Read after the first part has come: a later page may have asked for the rest in the meantime.
  if (laterWanted) await ensurePart(code, 'later')
}

/** The rest of the words, for every language in use; the pages not shown first wait for it before they render. */
export async function loadLaterWords(): Promise<void> {
  laterWanted = true
  const codes = new Set([i18next.language, ...[...loaded].map((p) => p.split('/')[0])])
  await Promise.all([...codes].map((code) => ensurePart(code as LanguageCode, 'later')))
}

export async function initI18n(): Promise<typeof i18next> {
  const lng = firstLanguage()
  // Asked for before anything else, so the download runs while the rest of the app's code loads.
  const words = LOCALES[lng].first()
  await i18next.use(initReactI18next).use(numbersInLanguage).init({
    resources: {},
    partialBundledLanguages: true,
    lng,
    // Every locale carries every key (test/unit/renderer/locales.test.ts), so no second language is fetched as
    // a fallback: the person's one is complete.
    fallbackLng: false,
    // Every value isolated for bidi, every number in the language's own digits (./interpolation).
    interpolation: INTERPOLATION,
    returnNull: false
  })
  await ensurePart(lng, 'first', words)
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
