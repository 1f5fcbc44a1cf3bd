/**
 * Migration 0033: the language of the messages the service writes (emails and SMS). `trial_requests.language` is
 * the app's language when a trial starts: its code goes out in it, and the account its code makes starts with it
 * as `accounts.language` (the column of 0029, now the language of every message to the account's people, set at
 * sign-up and changed in the app's Profile). `one_time_tokens.language` is the language a phone sign-up's code was
 * texted in (there is no account yet), so support's "send it again" texts it in the same. Null on older rows and
 * accounts: English, as before.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function messageLanguage(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('trial_requests').addColumn('language', 'text').execute()
      await db.schema.alterTable('one_time_tokens').addColumn('language', 'text').execute()
    }
  }
}
