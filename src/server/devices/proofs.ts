/**
 * A proof of purchase support accepted (migration 0038; the operators' side is src/server/ops/registry-actions.ts)
 * stands in for the dongle's own proof in one place: the activation of a purchased dongle (bought in a shop, or
 * online, whose order is still checked) of that serial and model, onto an account of the person who showed it. It is how a dongle that cannot attest — a model without the
 * firmware protocol, a key that fails, a key revoked after a leak — reaches a line: the person asks support (the
 * app's refusal links to Help), support sees the receipt and accepts it, the person activates in the app as usual.
 *
 * Bound to the person's email, not only the serial: a serial is printed on the box, and a proof anyone could use
 * would hand the dongle to whoever activated first. Used once (the activation's transaction marks it, guarded, so
 * two activations at once use it once), and it stands for PROOF_DAYS.
 */
import type { ServiceContext } from '../context'
import { conflict } from '../http/errors'

/** How long an accepted proof waits for its activation. */
export const PROOF_DAYS = 14

export interface WaitingProof {
  readonly id: string
  readonly email: string
}

/**
 * The proof waiting for this serial and model that the activating person may use: `email` is the new account's
 * address, or null for a signed-in account (then one of its confirmed addresses must be the proof's).
 */
export async function waitingProof(
  ctx: ServiceContext,
  claim: { serial: string; model: string },
  person: { email: string } | { accountId: string }
): Promise<WaitingProof | null> {
  const proof = await ctx.db
    .selectFrom('device_proofs')
    .select(['id', 'email'])
    .where('serial', '=', claim.serial)
    .where('model', '=', claim.model)
    .where('used_at', 'is', null)
    .where('withdrawn_at', 'is', null)
    .where('expires_at', '>', ctx.clock.now().toISOString())
    .executeTakeFirst()
  if (!proof) return null
  if ('email' in person) return person.email.toLowerCase() === proof.email ? proof : null
  const confirmed = await ctx.db
    .selectFrom('account_emails')
    .select('id')
    .where('account_id', '=', person.accountId)
    .where('address', '=', proof.email)
    .where('verified_at', 'is not', null)
    .executeTakeFirst()
  return confirmed ? proof : null
}

/** Marks the proof used by this activation, in its transaction; withdrawn or used meanwhile, the activation stops. */
export async function spendProof(tx: ServiceContext, proofId: string, accountId: string): Promise<void> {
  const spent = await tx.db
    .updateTable('device_proofs')
    .set({ used_at: tx.clock.now().toISOString(), used_by_account: accountId })
    .where('id', '=', proofId)
    .where('used_at', 'is', null)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  if (Number(spent.numUpdatedRows) !== 1)
    throw conflict('device-owned', 'this proof of purchase was just used or withdrawn')
}
