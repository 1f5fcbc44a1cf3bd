/**
 * An outbox row as the outbox leaves a message it sent and forgot the words of (body null, one attempt), written
 * straight into the database: for the tests of what the retention job and an account's closure do with sent
 * messages, which need them of a given account, address and purpose without sending them.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../src/server/db/schema'
import { newId } from '../../src/server/secrets'

export async function insertSentMessage(
  db: Kysely<Database>,
  m: { to: string; subject: string; purpose: string; accountId: string; at: string; id?: string }
): Promise<string> {
  const id = m.id ?? newId('msg')
  await db
    .insertInto('outbox')
    .values({
      id,
      channel: 'email',
      recipient: m.to,
      subject: m.subject,
      body: null,
      purpose: m.purpose,
      account_id: m.accountId,
      created_at: m.at,
      sent_at: m.at,
      attempts: 1,
      next_attempt_at: m.at,
      last_error: null,
      attachments: null
    })
    .execute()
  return id
}
