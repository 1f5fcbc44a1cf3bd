/**
 * The words of every email and SMS the service sends, in the six languages the app speaks: one catalog per
 * language in ./locales (test/unit/server/mail-words.test.ts checks that every language has every key with the
 * same placeholders, and that the app's own words the messages quote are the app's in that language), formatted
 * by the service's one formatter (../words/format.ts, shared with the PDFs): amounts, counts and dates for the
 * language (Persian digits in Persian), every value isolated (FSI ... PDI) so a number or an address keeps its
 * order inside Persian text. Codes and tokens ({code}, {token}) are never isolated nor localized: people copy
 * them, and they stay in Latin digits, exactly as the service checks them. English keeps its bytes: no isolates,
 * amounts as $12.50.
 *
 * Which language a message is in: the account's (accounts.language, set at sign-up from the app's language and
 * changed in the app's Profile), or, before there is an account, the request's (../identity/message-language.ts).
 */
import type { LanguageCode } from '../../shared/i18n/languages'
import { type Words, wordsOf } from '../words/format'
import en from './locales/en.json'
import fa from './locales/fa.json'
import fr from './locales/fr.json'
import hr from './locales/hr.json'
import ro from './locales/ro.json'
import sl from './locales/sl.json'

export type MailWordKey = keyof typeof en
export type MailWords = Words<MailWordKey>

export const MAIL_CATALOGS: Readonly<Record<LanguageCode, Readonly<Record<MailWordKey, string>>>> = {
  en,
  fa,
  fr,
  hr,
  ro,
  sl
}

/** Built once per language: Intl formatters cost more than the rest of a receipt's words. */
const built = new Map<LanguageCode, MailWords>()

export function mailWords(language: LanguageCode): MailWords {
  let w = built.get(language)
  if (!w) built.set(language, (w = wordsOf(language, MAIL_CATALOGS[language], { mode: 'messages' })))
  return w
}

/** Paragraphs of a message, then the signature. */
export const paragraphs = (w: MailWords, ...parts: readonly string[]): string =>
  [...parts, w.t('sign')].join('\n\n')

/** A code or token on a line of its own, indented, so it is easy to see and to copy. */
export const codeLine = (code: string): string => `    ${code}`

/** Messages built from the words of a language, built once per language (templates.ts, billing's notices.ts). */
export function perLanguage<T>(build: (w: MailWords) => T): (language: LanguageCode) => T {
  const built = new Map<LanguageCode, T>()
  return (language) => {
    let messages = built.get(language)
    if (!messages) built.set(language, (messages = build(mailWords(language))))
    return messages
  }
}
