/**
 * The terms of service as real, versioned documents: resources/terms/<version>/<language>.md, read from the
 * repository's resources folder when the service starts (the same from the sources under tsx and from the build
 * in out/main), so the text a person accepted can always be shown again by its version. The version people
 * accept today is the service's legal.termsVersion (config.ts); every version has an English text, and a language
 * without its own translation gets the English one, marked as such, so the app can say so. A new version is a
 * new folder; nothing here lists them by hand.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DEFAULT_LANGUAGE, LANGUAGE_CODES, type LanguageCode } from '../../shared/i18n/languages'
import { notFound } from '../http/errors'

/** resources/terms, found upwards from this module (src/server/legal in the sources, out/main in the build). */
function termsFolder(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'terms')
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error('resources/terms was not found above the service')
  }
}

function loadTerms(): Record<string, Partial<Record<LanguageCode, string>>> {
  const root = termsFolder()
  const versions: Record<string, Partial<Record<LanguageCode, string>>> = {}
  for (const version of readdirSync(root)) {
    const texts: Partial<Record<LanguageCode, string>> = {}
    for (const language of LANGUAGE_CODES) {
      const file = join(root, version, `${language}.md`)
      if (existsSync(file)) texts[language] = readFileSync(file, 'utf8')
    }
    versions[version] = texts
  }
  return versions
}

/** Every version ever offered, with its texts. */
export const TERMS: Readonly<Record<string, Partial<Record<LanguageCode, string>>>> = loadTerms()

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
  if (!texts || english === undefined)
    throw notFound('terms-not-found', `version ${version} of the terms of service`)
  const own = texts[language]
  return own !== undefined
    ? { version, language, fallback: false, text: own }
    : { version, language: DEFAULT_LANGUAGE, fallback: language !== DEFAULT_LANGUAGE, text: english }
}
