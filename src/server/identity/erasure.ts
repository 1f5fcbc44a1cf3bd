/**
 * Erasing a sign-in's personal data, table by table, for the account id (inside the caller's transaction). Two
 * callers: removing a person from a business (../business/member-removal.ts, which decides when) and the end of an
 * account closure's grace period (./closure.ts, which first closes the lines and frees the dongles and cards).
 *
 * - accounts: the row stays (audit lines, sessions, support requests, invoices, the ledger and other members'
 *   `invited_by` name its id), closed, with no name, contact phone, billing address or company, and a password hash
 *   no password matches; type, language and time zone stay (they say nothing of who the person was).
 * - account_emails, account_phones: deleted. This is what frees the address (only a confirmed row names an owner,
 *   identity/accounts.ts emailOwner, and a unique index holds one confirmed row per address).
 * - account_invitations: deleted (its address is the person's; a waiting one blocks a new invitation).
 * - one_time_tokens: every unused one expires now (an invitation's code, a reset code); email codes are deleted
 *   (their subject holds the address). Used ones keep only a hash and the account id.
 * - sessions: deleted (they end now; they held the client and address each was last used from).
 * - signin_throttle: cleared for the erased addresses and phones, so whoever uses them next starts afresh.
 * - outbox: the person's messages are deleted, sent or not (address and words; an unsent invitation carries the
 *   withdrawn code).
 * - support_requests: closed and kept without the diagnostics report, as an id, a topic and dates (for support's
 *   counts and the audit lines naming them); support_messages: deleted (the person's and support's words to them).
 * - trial_requests made to join this sign-in and not yet used: expired, so none can add a dongle to it later.
 * - audit_events: kept (the security record, by ids); an erased address in a line's detail is replaced.
 */
import type { ServiceContext } from '../context'
import { identifierKey } from '../../shared/api/identity'
import { clearIdentifiers } from './signin-throttle'

/** Put in an audit line's detail where an erased address was. */
export const ERASED = '(erased)'
/** A password hash no password matches (PasswordHasher.verify reads only `scrypt$…` hashes). */
export const NO_PASSWORD = 'erased'

/** Closes the sign-in and erases what identifies its person (see above). */
export async function eraseSignIn(tx: ServiceContext, personId: string): Promise<void> {
  const now = tx.clock.now().toISOString()
  const emails = await tx.db
    .selectFrom('account_emails')
    .select('address')
    .where('account_id', '=', personId)
    .execute()
  const phones = await tx.db
    .selectFrom('account_phones')
    .select('e164')
    .where('account_id', '=', personId)
    .execute()
  await tx.db
    .updateTable('accounts')
    .set({
      status: 'closed',
      name: '',
      company: null,
      contact_phone: null,
      billing_address: null,
      password_hash: NO_PASSWORD,
      updated_at: now
    })
    .where('id', '=', personId)
    .execute()
  await tx.db.deleteFrom('account_emails').where('account_id', '=', personId).execute()
  await tx.db.deleteFrom('account_phones').where('account_id', '=', personId).execute()
  await tx.db.deleteFrom('account_invitations').where('account_id', '=', personId).execute()
  await tx.db
    .updateTable('one_time_tokens')
    .set({ expires_at: now })
    .where('account_id', '=', personId)
    .where('consumed_at', 'is', null)
    .execute()
  await tx.db
    .deleteFrom('one_time_tokens')
    .where('account_id', '=', personId)
    .where('purpose', '=', 'email_verify')
    .execute()
  await tx.db.deleteFrom('sessions').where('account_id', '=', personId).execute()
  await clearIdentifiers(tx, [
    ...emails.map((e) => identifierKey(e.address)),
    ...phones.map((p) => identifierKey(p.e164))
  ])
  await tx.db.deleteFrom('outbox').where('account_id', '=', personId).execute()
  await eraseSupport(tx, personId, now)
  await tx.db
    .updateTable('trial_requests')
    .set({ expires_at: now })
    .where('account_id', '=', personId)
    .where('consumed_at', 'is', null)
    .execute()
  await scrubAudit(
    tx,
    personId,
    emails.map((e) => e.address.toLowerCase())
  )
}

async function eraseSupport(tx: ServiceContext, personId: string, now: string): Promise<void> {
  const requests = tx.db.selectFrom('support_requests').select('id').where('account_id', '=', personId)
  await tx.db.deleteFrom('support_messages').where('request_id', 'in', requests).execute()
  await tx.db
    .updateTable('support_requests')
    .set((eb) => ({
      status: 'closed',
      diagnostics: null,
      updated_at: now,
      closed_at: eb.fn.coalesce('closed_at', eb.val(now))
    }))
    .where('account_id', '=', personId)
    .execute()
}

/** An erased address in the detail of the person's audit lines ('email.added', 'password.reset-requested'). */
async function scrubAudit(tx: ServiceContext, personId: string, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return
  const rows = await tx.db
    .selectFrom('audit_events')
    .select(['id', 'detail'])
    .where('account_id', '=', personId)
    .where('detail', 'like', '%@%')
    .execute()
  const erase = (v: unknown): unknown =>
    typeof v === 'string' && addresses.includes(v.toLowerCase())
      ? ERASED
      : Array.isArray(v)
        ? v.map(erase)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, erase(x)]))
          : v
  for (const r of rows) {
    const detail = JSON.stringify(erase(JSON.parse(r.detail)))
    if (detail !== r.detail)
      await tx.db.updateTable('audit_events').set({ detail }).where('id', '=', r.id).execute()
  }
}
