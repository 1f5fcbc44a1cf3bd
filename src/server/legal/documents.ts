/**
 * Legal texts as real, versioned documents: resources/<kind>/<version>/<language>.md (the terms of service, the
 * 911 disclosure), read from the repository's resources folder when the service starts (the same from the sources
 * under tsx and from the build in out/main), so the text a person accepted can always be shown again by the
 * version their acceptance records. Every version has an English text; a language without its own translation
 * gets the English one, marked as such, so the app can say so. A new version is a new folder; nothing here lists
 * them by hand.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DEFAULT_LANGUAGE, LANGUAGE_CODES, type LanguageCode } from '../../shared/i18n/languages'

/** Every version of one kind of text, with its texts by language. */
export type LegalTexts = Readonly<Record<string, Partial<Record<LanguageCode, string>>>>

export interface LegalDocument {
  readonly version: string
  /** The language of `text`: the one asked for, or English when there is no translation yet. */
  readonly language: LanguageCode
  readonly fallback: boolean
  readonly text: string
}

/** resources/<kind>, found upwards from this module (src/server/legal in the sources, out/main in the build). */
function folder(kind: string): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', kind)
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`resources/${kind} was not found above the service`)
  }
}

export function loadLegalTexts(kind: string): LegalTexts {
  const root = folder(kind)
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

/** A version in a language, or English marked as a fallback; undefined for a version without an English text. */
export function legalDocument(
  texts: LegalTexts,
  version: string,
  language: LanguageCode
): LegalDocument | undefined {
  const english = texts[version]?.[DEFAULT_LANGUAGE]
  if (english === undefined) return undefined
  const own = texts[version]?.[language]
  return own !== undefined
    ? { version, language, fallback: false, text: own }
    : { version, language: DEFAULT_LANGUAGE, fallback: language !== DEFAULT_LANGUAGE, text: english }
}
