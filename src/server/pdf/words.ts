/**
 * The words of the PDFs the service makes for people (invoices, statements, signed statements), in the six
 * languages the app speaks: one catalog per language in ./locales (test/unit/server/pdf-words.test.ts checks that
 * every language has every key with the same placeholders), and the numbers, amounts and dates formatted for the
 * language with Intl (../words/format.ts, shared with the messages' words). Every interpolated value is isolated (FSI ... PDI) the way the app's i18next does it, so an
 * amount or an invoice number keeps its order inside Persian text (./bidi-runs.ts reads the isolates).
 *
 * The CSVs that go with the PDFs (the statement's, the itemised calls') take these words too, without the isolates
 * (pdfTextWords).
 *
 * English keeps the output it had before these catalogs: ISO dates (2026-11-30), the month as 2026-11, amounts
 * as 12.50 USD, entry kinds as their codes.
 */
import type { LanguageCode } from '../../shared/i18n/languages'
import { type Words, wordsLanguage, wordsOf } from '../words/format'
import en from './locales/en.json'
import fa from './locales/fa.json'
import fr from './locales/fr.json'
import hr from './locales/hr.json'
import ro from './locales/ro.json'
import sl from './locales/sl.json'

export type PdfWordKey = keyof typeof en
export type Catalog = Readonly<Record<PdfWordKey, string>>

export const PDF_CATALOGS: Readonly<Record<LanguageCode, Catalog>> = { en, fa, fr, hr, ro, sl }

/** A language code from a request or a column; anything else is English. */
export const pdfLanguage = wordsLanguage

export type PdfWords = Words<PdfWordKey>

/** The PDFs' words in `language`, formatted by the service's one formatter (../words/format.ts). */
export const pdfWords = (language: LanguageCode): PdfWords => wordsOf(language, PDF_CATALOGS[language])

/**
 * The same words as plain text, for the CSV that goes with a PDF (the statement's, the itemised calls'): the same
 * catalogs and sentences, no isolates (a CSV cell is plain text; ../words/format.ts, mode 'text').
 */
export const pdfTextWords = (language: LanguageCode): PdfWords =>
  wordsOf(language, PDF_CATALOGS[language], { mode: 'text' })
