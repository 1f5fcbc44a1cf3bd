/**
 * Serialises the writers of a fact of the whole account that is read and then acted on in one transaction. On
 * PostgreSQL (READ COMMITTED) two such transactions at once each read before the other commits, and both act:
 * - the balance, a sum over the ledger: twenty minutes packs bought at once from 5.00 took it to -45.00; every
 *   spender of it (packs, a paid service's month share, a refund to it) locks first;
 * - a business's people against its closure: an invitation committed beside a closure's "no people" check left a
 *   member acting for a closed, erased account.
 * The account's row, `FOR NO KEY UPDATE`, which the foreign-key checks of rows inserted for the account (`FOR KEY
 * SHARE`) do not wait for, so only these writers queue. Taken before a line's lock (lockLine) wherever both are
 * held, so that no two writers wait on each other in a circle. SQLite runs one write transaction at a time.
 */
import { sql } from 'kysely'
import type { ServiceContext } from './context'

export async function lockAccount(tx: ServiceContext, accountId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return
  await sql`SELECT id FROM accounts WHERE id = ${accountId} FOR NO KEY UPDATE`.execute(tx.db)
}
