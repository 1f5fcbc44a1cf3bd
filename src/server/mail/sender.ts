/**
 * Delivers the outbox. With SMTP configured, nodemailer sends each due email, retries with back-off on failure
 * (1, 2, 4 ... minutes, 10 attempts) and erases the body and attachments once the message is out or given up, so
 * codes and call details do not linger in the database; its errors are kept and logged without the recipient. SMS go the same way through an SmsGateway (./sms.ts) when one is given. A channel with nothing to
 * deliver it (the embedded default: no SMTP, no gateway) keeps its messages readable in the dev mailbox for 24
 * hours, then forgets their bodies and attachments.
 */
import type { Kysely } from 'kysely'
import nodemailer, { type Transporter } from 'nodemailer'
import type { Clock } from '../clock'
import type { Database, OutboxTable } from '../db/schema'
import type { SmsGateway } from './sms'

export const MAX_ATTEMPTS = 10
const DEV_RETENTION_MS = 24 * 60 * 60_000

export interface OutboxSender {
  /** Send what is due now; returns how many went out. */
  flush(): Promise<number>
  close(): void
}

export function createOutboxSender(
  db: Kysely<Database>,
  clock: Clock,
  smtp: { url: string; from: string } | null,
  onError: (message: string) => void,
  sms: SmsGateway | null = null
): OutboxSender {
  const transport: Transporter | null = smtp ? nodemailer.createTransport(smtp.url) : null
  let running: Promise<number> | null = null
  type Row = OutboxTable
  const deliverers: Partial<Record<Row['channel'], (row: Row) => Promise<void>>> = {}
  if (transport)
    deliverers.email = async (row) => {
      await transport.sendMail({
        from: smtp?.from,
        to: row.recipient,
        subject: row.subject,
        text: row.body ?? '',
        attachments: row.attachments
          ? (JSON.parse(row.attachments) as { filename: string; contentType: string; content: string }[]).map(
              (a) => ({ ...a, encoding: 'base64' })
            )
          : undefined
      })
    }
  if (sms) deliverers.sms = (row) => sms.send({ to: row.recipient, body: row.body ?? '' })
  const delivered = Object.keys(deliverers) as Row['channel'][]
  const kept = (['email', 'sms'] as const).filter((c) => !delivered.includes(c))

  async function flushOnce(): Promise<number> {
    const now = clock.now()
    // What nothing delivers is the dev mailbox's, for a day. Only bodies not yet forgotten: every row older than a
    // day, rewritten every second, grew this flush with the outbox (and PostgreSQL's table with dead rows).
    if (kept.length > 0)
      await db
        .updateTable('outbox')
        .set({ body: null, attachments: null })
        .where('channel', 'in', kept)
        .where('created_at', '<', new Date(now.getTime() - DEV_RETENTION_MS).toISOString())
        .where((eb) => eb.or([eb('body', 'is not', null), eb('attachments', 'is not', null)]))
        .execute()
    if (delivered.length === 0) return 0
    const due = await db
      .selectFrom('outbox')
      .selectAll()
      .where('channel', 'in', delivered)
      .where('sent_at', 'is', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .where('next_attempt_at', '<=', now.toISOString())
      .orderBy('created_at')
      .limit(50)
      .execute()
    let sent = 0
    for (const row of due) {
      // Claim the row first, so two service instances never send the same message.
      const lease = new Date(clock.now().getTime() + 5 * 60_000).toISOString()
      const claimed = await db
        .updateTable('outbox')
        .set({ next_attempt_at: lease })
        .where('id', '=', row.id)
        .where('sent_at', 'is', null)
        .where('next_attempt_at', '=', row.next_attempt_at)
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) continue
      try {
        await deliverers[row.channel]?.(row)
        await db
          .updateTable('outbox')
          .set({
            sent_at: clock.now().toISOString(),
            body: null,
            attachments: null,
            attempts: row.attempts + 1,
            last_error: null
          })
          .where('id', '=', row.id)
          .execute()
        sent++
      } catch (err) {
        const message = withoutRecipient(err instanceof Error ? err.message : String(err), row.recipient)
        const next = new Date(clock.now().getTime() + 60_000 * 2 ** row.attempts)
        // The last attempt gives the message up: its body (a code, a receipt) and attachments (a call-detail file)
        // go, as they do once sent; the row stays with its error, for the operator and as the "told" mark.
        const givenUp = row.attempts + 1 >= MAX_ATTEMPTS
        await db
          .updateTable('outbox')
          .set({
            attempts: row.attempts + 1,
            last_error: message.slice(0, 500),
            next_attempt_at: next.toISOString(),
            ...(givenUp ? { body: null, attachments: null } : {})
          })
          .where('id', '=', row.id)
          .execute()
        onError(
          `${row.channel} ${row.id} (${row.purpose}) not sent${givenUp ? ', given up' : ''}: ${message}`
        )
      }
    }
    return sent
  }

  return {
    flush() {
      // One flush at a time: a timer tick and an explicit flush must not send the same row twice.
      running ??= flushOnce().finally(() => {
        running = null
      })
      return running
    },
    close() {
      transport?.close()
    }
  }
}

/**
 * A delivery error as the log and the row keep it: SMTP servers and SMS gateways name the recipient in their
 * answers ("550 5.1.1 <pat@example.com>: user unknown"), and a person's address or number is not the log's to keep.
 */
export function withoutRecipient(message: string, recipient: string): string {
  const named = recipient ? message.split(recipient).join('<recipient>') : message
  return named
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>')
    .replace(/\+?\d(?:[ ().-]{0,2}\d){9,14}/g, '<number>')
}
