/**
 * What asks for a legal text the person accepts (the terms of service, the 911 disclosure) in their language:
 * the version the service asks for today, in the app's language (English when the app's is none of the six). The
 * service answers with that translation or with the English marked `fallback`, which the caller says beside it.
 * null (no query yet) until the version is known.
 */
import { useTranslation } from 'react-i18next'
import { LANGUAGE_CODES, type LanguageCode } from '../../../../shared/i18n/languages'

export function useLegalDocumentArgs(
  version: string | undefined
): { language: LanguageCode; version: string } | null {
  const { i18n } = useTranslation()
  const language = (LANGUAGE_CODES as readonly string[]).includes(i18n.language)
    ? (i18n.language as LanguageCode)
    : 'en'
  return version ? { language, version } : null
}
