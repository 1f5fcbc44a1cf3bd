/**
 * The terms of service as real, versioned documents: resources/terms/<version>/<language>.md, bundled into the
 * service when it is built, so the text a person accepted can always be shown again by its version. The version
 * people accept today is the service's legal.termsVersion (config.ts); every version has an English text, and a
 * language without its own translation gets the English one, marked as such, so the app can say so.
 */
import { DEFAULT_LANGUAGE, type LanguageCode } from '../../shared/i18n/languages'
import { notFound } from '../http/errors'
import en202611 from '../../../resources/terms/2026-11/en.md?raw'
import fa202611 from '../../../resources/terms/2026-11/fa.md?raw'
import fr202611 from '../../../resources/terms/2026-11/fr.md?raw'

/** Every version ever offered, with its texts; a new version is a new folder and a new entry here. */
export const TERMS: Readonly<Record<string, Partial<Record<LanguageCode, string>>>> = {
  '2026-11': { en: en202611, fr: fr202611, fa: fa202611 }
}

export interface TermsDocument {
  readonly version: string
  /** The language of `text`: the one asked for, or English when there is no translation yet. */
  readonly language: LanguageCode
  readonly fallback: boolean
  readonly text: string
}

export function termsDocument(version: string, language: LanguageCode): TermsDocument {
  const texts = TERMS[version]
  const english = texts?.[DEFAULT_LANGUAGE]
  if (!texts || english === undefined) throw notFound(`version ${version} of the terms of service`)
  const own = texts[language]
  return own !== undefined
    ? { version, language, fallback: false, text: own }
    : { version, language: DEFAULT_LANGUAGE, fallback: language !== DEFAULT_LANGUAGE, text: english }
}
