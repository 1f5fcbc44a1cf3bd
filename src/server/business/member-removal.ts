/**
 * What removing a person from a business does to their sign-in (called by members.ts removeMember, inside its
 * transaction). The sign-in was made by the invitation for this business only, so it closes and what identifies
 * the person on it is erased: their address is free again (another business may invite it, they may sign up on
 * their own), and the invitation's code is withdrawn, so a later use is refused as the app words an expired
 * invitation (reason 'token-invalid', issue 'token-expired'; resetPassword also refuses a closed sign-in).
 *
 * What is erased, table by table, is ../identity/erasure.ts eraseSignIn (shared with closing an account). Beside
 * it, business_members: the person's membership is deleted by the caller. Rows naming them as who invited someone
 * (`invited_by`) and document requests naming them as who asked (`requested_by`) are the business's own records
 * and keep the id. Nothing of the business's account is touched: its lines, the line a line user had (only the
 * membership pointed at it), calls, balance, invoices and documents stay as they were.
 *
 * A sign-in that became a customer of its own (a dongle's trial joined to it: it owns a line or a dongle, a card
 * or a balance entry, or has people of its own) is the person's, not the business's: removing them ends only the
 * membership and the sessions, and the sign-in stays theirs, open, with its address and data. A business's
 * administrator can remove a person from the business, never take or wipe what the person has beside it.
 */
import type { ServiceContext } from '../context'
import { eraseSignIn } from '../identity/erasure'
import { revokeAllSessions } from '../identity/sessions'

/** Put in an audit line's detail where an erased address was (../identity/erasure.ts). */
export { ERASED } from '../identity/erasure'

/** Whether the person's sign-in holds anything of its own as a customer (then it is kept, open). */
async function ownsAnything(tx: ServiceContext, personId: string): Promise<boolean> {
  const db = tx.db
  const owned = [
    () => db.selectFrom('lines').select('id').where('account_id', '=', personId).executeTakeFirst(),
    () => db.selectFrom('devices').select('id').where('owner_account_id', '=', personId).executeTakeFirst(),
    () => db.selectFrom('balance_entries').select('id').where('account_id', '=', personId).executeTakeFirst(),
    () => db.selectFrom('payment_methods').select('id').where('account_id', '=', personId).executeTakeFirst(),
    () => db.selectFrom('business_members').select('id').where('account_id', '=', personId).executeTakeFirst()
  ]
  // One after the other: a transaction's queries share one connection.
  for (const find of owned) if ((await find()) !== undefined) return true
  return false
}

/**
 * Closes and erases the removed person's sign-in (see above); a sign-in with data of its own only loses its
 * sessions. Answers whether it was erased. The caller has deleted the membership.
 */
export async function closeRemovedSignIn(tx: ServiceContext, personId: string): Promise<boolean> {
  if (await ownsAnything(tx, personId)) {
    await revokeAllSessions(tx, personId)
    return false
  }
  await eraseSignIn(tx, personId)
  return true
}
