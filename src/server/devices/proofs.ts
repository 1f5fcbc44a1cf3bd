/**
 * A proof of purchase support accepted (migration 0038; the operators' side is src/server/ops/registry-actions.ts)
 * stands in for the dongle's own proof in one place: the activation of a purchased dongle (bought in a shop, or
 * online, whose order is still checked) of that serial and model, by the person who showed it. It is how a dongle
 * that cannot attest — a model without the firmware protocol, a key revoked after a leak — reaches a line: the
 * person asks support (the app's refusal links to Help), support sees the receipt and accepts it, the service
 * emails the person a code, and the person activates in the app with it.
 *
 * Bound to the person twice: a serial is printed on the box and an email is easy to learn, so the proof needs the
 * code that went to that mailbox (its SHA-256 kept, never shown to the operator) and the activation's account must
 * be that address (a new account with it, or a signed-in one where it is confirmed). Used once (the activation's
 * transaction marks it, guarded, so two activations at once use it once); it stands for PROOF_DAYS.
 */
import type { ServiceContext } from '../context'
import { ServiceError, invalid } from '../http/errors'
import { sha256 } from '../secrets'
import { DEVICE_NOT_RECOGNISED } from '../../shared/api/attestation'

/** How long an accepted proof waits for its activation. */
export const PROOF_DAYS = 14

/** The characters of the code the person is emailed (Crockford, 50 bits). */
export const PROOF_CODE_LENGTH = 10

export interface WaitingProof {
  readonly id: string
  readonly email: string
}

/** The proofs of a serial that still wait: not used, not withdrawn, not expired (the one condition, used by all). */
export const waitingProofs = (ctx: ServiceContext, serial: string) =>
  ctx.db
    .selectFrom('device_proofs')
    .where('serial', '=', serial)
    .where('used_at', 'is', null)
    .where('withdrawn_at', 'is', null)
    .where('expires_at', '>', ctx.clock.now().toISOString())

export const proofCodeHash = (code: string): string =>
  sha256(`dialtone/device-proof/v1\0${code.toUpperCase()}`)

/**
 * The proof the activating person gives (`code`), for this serial and model; null when none was given. `person` is
 * the new account's email, or the signed-in account (one of its confirmed addresses must be the proof's). A code
 * that is not this serial's waiting proof for this person is refused beside the field: the person typed it.
 */
export async function provenPurchase(
  ctx: ServiceContext,
  claim: { serial: string; model: string; proofCode?: string | undefined },
  person: { email: string } | { accountId: string }
): Promise<WaitingProof | null> {
  if (claim.proofCode === undefined) return null
  const proof = await waitingProofs(ctx, claim.serial)
    .select(['id', 'email'])
    .where('model', '=', claim.model)
    .where('code_hash', '=', proofCodeHash(claim.proofCode))
    .executeTakeFirst()
  const theirs =
    proof === undefined
      ? false
      : 'email' in person
        ? person.email.toLowerCase() === proof.email
        : (await ctx.db
            .selectFrom('account_emails')
            .select('id')
            .where('account_id', '=', person.accountId)
            .where('address', '=', proof.email)
            .where('verified_at', 'is not', null)
            .executeTakeFirst()) !== undefined
  if (!proof || !theirs)
    throw invalid(
      'proofCode',
      "this is not the code of Dialtone support's email for this dongle and this email address",
      'proof-code-invalid'
    )
  return proof
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
    throw new ServiceError('forbidden', 'the proof of purchase was withdrawn or used meanwhile', {
      reason: DEVICE_NOT_RECOGNISED
    })
}

/**
 * Whether a proof-based activation comes with the included months of a store's dongle: only for a serial the
 * factory's stock shipped to a retail partner. A proof shows who owns a dongle, not that Dialtone sold it with
 * service: a generic phone bought anywhere gets a line, which its owner pays for.
 */
export async function shippedToShop(ctx: ServiceContext, serial: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('device_shipments')
    .innerJoin('partners', 'partners.id', 'device_shipments.partner_id')
    .select('device_shipments.serial')
    .where('device_shipments.serial', '=', serial)
    .where('partners.kind', '=', 'retail')
    .executeTakeFirst()
  return row !== undefined
}
