/**
 * Migration 0029: an invoice's content, so it can be read in any of the app's languages (issue 25). `content` is
 * what the invoice says (seller, buyer, lines, total; JSON, src/server/business/invoice-pdf.ts), written once at
 * issue like every other column: the 0025 trigger still refuses any UPDATE, so the content is as immutable as
 * the number; only its rendering varies by language. Invoices issued before this have none and keep their stored
 * English PDF. `accounts.language` is the language the account's people read Dialtone in (the language of the
 * monthly invoice's email); null reads as English.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function invoiceContent(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('invoices').addColumn('content', 'text').execute()
      await db.schema.alterTable('accounts').addColumn('language', 'text').execute()
    }
  }
}
