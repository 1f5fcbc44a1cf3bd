/**
 * The outbox: every email or SMS is first a row, written in the same transaction as the change it reports, so
 * a crash cannot send a notice for something that did not happen or lose one for something that did. A sender
 * delivers rows later (SMTP through nodemailer, or the dev mailbox) and then forgets their bodies.
 */
import { type Kysely, sql } from 'kysely'
import type { Clock } from '../clock'
import type { Database } from '../db/schema'
import { newId } from '../secrets'
import type { Message } from './templates'
import { DEFAULT_NOTIFICATIONS, NOTICE_TOPICS, type NoticePurpose } from '../../shared/api/notice-topics'
import type { LanguageCode } from '../../shared/i18n/languages'
import { wordsLanguage } from '../words/format'

/**
 * A message to an account's people: built already (the caller read the account's language with what it read
 * anyway, as a renewal does), or built here in the account's language (accounts.language), read with the
 * statement the helper makes anyway where it makes one.
 */
export type AccountMessage = Message | ((language: LanguageCode) => Message)

export interface OutgoingMessage extends Message {
  readonly channel: 'email' | 'sms'
  readonly to: string
  readonly purpose: string
  readonly accountId?: string | null
  readonly attachments?: readonly Attachment[]
}

/** A file sent with an email (the itemised call details), kept base64 in the row until it is sent. */
export interface Attachment {
  readonly filename: string
  readonly contentType: string
  readonly content: Buffer
}

export async function enqueue(db: Kysely<Database>, clock: Clock, message: OutgoingMessage): Promise<void> {
  const now = clock.now().toISOString()
  await db
    .insertInto('outbox')
    .values({
      id: newId('msg'),
      channel: message.channel,
      recipient: message.to,
      subject: message.subject,
      body: message.body,
      purpose: message.purpose,
      account_id: message.accountId ?? null,
      created_at: now,
      sent_at: null,
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
      attachments: attachmentsJson(message.attachments)
    })
    .execute()
}

/** Attachments as the row keeps them (base64 contents), or null. */
const attachmentsJson = (attachments: readonly Attachment[] | undefined): string | null =>
  attachments?.length
    ? JSON.stringify(
        attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content.toString('base64')
        }))
      )
    : null

/**
 * Every confirmed address of an account: security notices go to all. An unconfirmed one (the original included)
 * may be somebody else's, so it hears nothing until its code comes back.
 */
export async function notifyAllEmails(
  db: Kysely<Database>,
  clock: Clock,
  accountId: string,
  message: AccountMessage,
  purpose: string,
  extra: readonly string[] = []
): Promise<number> {
  // One statement: the account's language with its confirmed addresses (a row with none when it has none).
  const rows = await db
    .selectFrom('accounts')
    .leftJoin('account_emails', (j) =>
      j
        .onRef('account_emails.account_id', '=', 'accounts.id')
        .on('account_emails.verified_at', 'is not', null)
    )
    .select(['account_emails.address', 'accounts.language'])
    .where('accounts.id', '=', accountId)
    .execute()
  const to = new Set(rows.flatMap((r) => (r.address === null ? [] : [r.address])))
  for (const address of extra) to.add(address)
  const worded = typeof message === 'function' ? message(wordsLanguage(rows[0]?.language)) : message
  for (const address of to)
    await enqueue(db, clock, { ...worded, channel: 'email', to: address, purpose, accountId })
  return to.size
}

/**
 * Where an account's mail goes (resets, receipts): the preferred address, else the oldest confirmed one; only
 * ever a confirmed address, so none while the account has not confirmed any.
 */
export async function preferredEmail(db: Kysely<Database>, accountId: string): Promise<string | null> {
  const rows = await db
    .selectFrom('account_emails')
    .select(['address', 'preferred'])
    .where('account_id', '=', accountId)
    .where('verified_at', 'is not', null)
    .orderBy('created_at')
    .execute()
  return (rows.find((r) => r.preferred === 1) ?? rows[0])?.address ?? null
}

/**
 * Whether the account's settings let this notice go (the settings' stored JSON; absent keys are on), and the
 * account's language when asked for: one read, and none for a notice always sent that comes worded already.
 */
async function wanted(
  db: Kysely<Database>,
  accountId: string,
  purpose: NoticePurpose,
  needLanguage: boolean
): Promise<{ language: LanguageCode } | null> {
  const topic = NOTICE_TOPICS[purpose]
  if (topic === 'always' && !needLanguage) return { language: 'en' }
  const row = await db
    .selectFrom('accounts')
    .select(['notifications', 'language'])
    .where('id', '=', accountId)
    .executeTakeFirst()
  if (!row) return null
  if (topic !== 'always') {
    const settings = JSON.parse(row.notifications) as Partial<Record<string, boolean>>
    if (!(settings[topic] ?? DEFAULT_NOTIFICATIONS[topic])) return null
  }
  return { language: wordsLanguage(row.language) }
}

/**
 * A notice to the account's preferred email (billing notices, receipts); nothing when it has none confirmed or
 * the person switched this kind of notice off (then null, as when there is no address).
 */
export async function notifyPreferred(
  db: Kysely<Database>,
  clock: Clock,
  accountId: string,
  purpose: NoticePurpose,
  message: AccountMessage,
  attachments?: readonly Attachment[]
): Promise<string | null> {
  const go = await wanted(db, accountId, purpose, typeof message === 'function')
  if (!go) return null
  const worded = typeof message === 'function' ? message(go.language) : message
  const now = clock.now().toISOString()
  // One statement: the row is written to the address preferredEmail would answer (the preferred confirmed one,
  // else the oldest confirmed), or not at all without one. A receipt costs a renewal one round trip, not two.
  const made = await db
    .insertInto('outbox')
    .columns([
      'id',
      'channel',
      'recipient',
      'subject',
      'body',
      'purpose',
      'account_id',
      'created_at',
      'next_attempt_at',
      'attachments'
    ])
    .expression(
      sql`SELECT ${newId('msg')}, 'email', address, ${worded.subject}, ${worded.body}, ${purpose},
        ${accountId}, ${now}, ${now}, ${attachmentsJson(attachments)}
        FROM account_emails WHERE account_id = ${accountId} AND verified_at IS NOT NULL
        ORDER BY preferred DESC, created_at LIMIT 1`
    )
    .returning('recipient')
    .executeTakeFirst()
  return made?.recipient ?? null
}

/** The language the account's people read the service's messages in (accounts.language; English when none). */
export async function accountLanguage(db: Kysely<Database>, accountId: string): Promise<LanguageCode> {
  const row = await db
    .selectFrom('accounts')
    .select('language')
    .where('id', '=', accountId)
    .executeTakeFirst()
  return wordsLanguage(row?.language)
}
