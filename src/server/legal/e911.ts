/**
 * The 911 disclosure a person acknowledges before a line is theirs ("I understand how 911 works on this line"):
 * resources/e911/<version>/<language>.md, read and answered like the terms of service (./documents.ts), so it is
 * read in the person's language and the version their acceptance records (`e911DisclosureVersion`) names the very
 * text they were shown. The version people acknowledge today is the service's legal.e911DisclosureVersion.
 */
import type { LanguageCode } from '../../shared/i18n/languages'
import { notFound } from '../http/errors'
import { type LegalDocument, legalDocument, loadLegalTexts } from './documents'

/** Every version ever shown, with its texts. */
export const E911_DISCLOSURES = loadLegalTexts('e911')

export function e911Document(version: string, language: LanguageCode): LegalDocument {
  const doc = legalDocument(E911_DISCLOSURES, version, language)
  if (!doc) throw notFound('e911-not-found', `version ${version} of the 911 disclosure`)
  return doc
}
