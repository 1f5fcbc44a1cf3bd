/**
 * The terms of service: resources/terms/<version>/<language>.md (./documents.ts says how they are read and
 * answered). The version people accept today is the service's legal.termsVersion (config.ts).
 */
import type { LanguageCode } from '../../shared/i18n/languages'
import { notFound } from '../http/errors'
import { type LegalDocument, legalDocument, loadLegalTexts } from './documents'

/** Every version ever offered, with its texts. */
export const TERMS = loadLegalTexts('terms')

export type TermsDocument = LegalDocument

export function termsDocument(version: string, language: LanguageCode): TermsDocument {
  const doc = legalDocument(TERMS, version, language)
  if (!doc) throw notFound('terms-not-found', `version ${version} of the terms of service`)
  return doc
}
