/**
 * All six translations, one JSON file per language, for the tests that read them. The renderer never imports this
 * file: it loads one language at a time (./index.ts).
 */
import en from './locales/en.json'
import fa from './locales/fa.json'
import fr from './locales/fr.json'
import hr from './locales/hr.json'
import ro from './locales/ro.json'
import sl from './locales/sl.json'

export const RESOURCES = { en, hr, fr, fa, ro, sl } as const
