/** The bundled translations, one JSON file per language; kept apart from i18next so tests can read them. */
import en from './locales/en.json'
import fa from './locales/fa.json'
import fr from './locales/fr.json'
import hr from './locales/hr.json'
import ro from './locales/ro.json'
import sl from './locales/sl.json'

export const RESOURCES = { en, hr, fr, fa, ro, sl } as const
