/**
 * A proof of purchase support accepted (migration 0038; the operators' side is src/server/ops/registry-actions.ts)
 * stands in for the dongle's own proof in one place: the activation of a purchased dongle (bought in a shop, or
 * online, whose order is still checked) of that serial and model, by the person who showed it. It is how a dongle
 * that cannot attest — a model without the firmware protocol, a key revoked after a leak — reaches a line: the
 * person asks support (the app's refusal links to Help), support sees the receipt and accepts it, the service
 * emails the person a code, and the person activates in the app with it.
 *
 * Bound to the person twice: a serial is printed on the box and an email is easy to learn, so the proof needs the
 * code that went to that mailbox (its HMAC under the service key kept, never shown to the operator) and the
 * activation's account must be that address (a new account with it, or a signed-in one where it is confirmed).
 * Used once (the activation's transaction marks it, guarded, so two activations at once use it once); it stands
 * for PROOF_DAYS, and only while its dongle still qualifies (proofTargetProblem, checked again when it is used).
 */
import { createHmac } from 'node:crypto'
import type { Updateable } from 'kysely'
import type { ServiceContext } from '../context'
import type { DeviceProofsTable } from '../db/schema'
import { ServiceError, conflict, invalid, notFound } from '../http/errors'
import { attests } from './attestation'
import { findRegistryEntry } from './registry'
import { alreadyOwned, findDevice, orderNaming } from './shared'

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

/** Marks proofs that are still open (neither used nor withdrawn): the guard of every change to one. */
export const updateOpenProofs = (ctx: ServiceContext, set: Updateable<DeviceProofsTable>) =>
  ctx.db.updateTable('device_proofs').set(set).where('used_at', 'is', null).where('withdrawn_at', 'is', null)

/** Keyed with the service key: a copy of the database alone does not let anyone search the codes offline. */
export const proofCodeHash = (serviceKey: Buffer, code: string): string =>
  createHmac('sha256', serviceKey).update(`dialtone/device-proof/v1\0${code.toUpperCase()}`).digest('hex')

/**
 * Why this dongle cannot be activated on a proof of purchase, or null: checked when support accepts one and again
 * when it is used (what was true then may not be now: a key restored, an order recorded). Only a dongle that cannot
 * prove itself: a registered one only once an admin revoked its key, an unregistered serial only of a model that
 * cannot attest; never under another model, one already on an account, or one a web-shop order names (its buyer
 * activates with the order). So a proof takes no dongle that proves itself, and mints none.
 */
export async function proofTargetProblem(
  ctx: ServiceContext,
  target: { serial: string; model: string },
  /** The account the activation being checked just gave the dongle to: its ownership is no problem. */
  activating?: string
): Promise<ServiceError | null> {
  const entry = await findRegistryEntry(ctx, target.serial)
  const device = await findDevice(ctx, target.serial)
  const model = entry?.model ?? device?.model
  if (model !== undefined && model !== target.model)
    return conflict('model-mismatch', `${target.serial} is model ${model}, not ${target.model}`, { model })
  if (entry && entry.revoked_at === null)
    return conflict(
      'key-not-revoked',
      `${target.serial} can prove itself: a proof of purchase is for a dongle that cannot (an admin revokes a leaked key first)`
    )
  if (!entry && attests(ctx, target.model))
    return notFound('serial-unknown', `the serial ${target.serial} in the manufacturing registry`)
  if (device?.owner_account_id && device.owner_account_id !== activating)
    return conflict('device-owned', `${target.serial} is on account ${device.owner_account_id} already`, {
      account: device.owner_account_id
    })
  const order = await orderNaming(ctx, target.serial)
  if (order !== undefined)
    return conflict(
      'serial-sold-online',
      `${target.serial} was sold online (order ${order}): its buyer activates it with the order`,
      { order }
    )
  return null
}

/** The activation found its proof withdrawn, used, or no longer standing: worded for the person, who asks support. */
const proofGone = (): ServiceError =>
  new ServiceError('conflict', 'the proof of purchase was withdrawn or used, or no longer applies', {
    reason: 'proof-withdrawn'
  })

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
  const codeHash = proofCodeHash(ctx.config.serviceKey, claim.proofCode)
  const proof = await waitingProofs(ctx, claim.serial)
    .select(['id', 'email'])
    .where('model', '=', claim.model)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst()
  // The right code, already used: the dongle was activated with it a moment ago (a double click, two apps). The
  // answer is the one the activation itself gives a dongle someone owns, whichever request got here first; it was
  // "not the code" when the other had committed before this one looked.
  if (!proof) {
    const used = await ctx.db
      .selectFrom('device_proofs')
      .select('used_by_account')
      .where('serial', '=', claim.serial)
      .where('model', '=', claim.model)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is not', null)
      .executeTakeFirst()
    if (used) throw alreadyOwned('accountId' in person && used.used_by_account === person.accountId)
  }
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

/**
 * Marks the proof used by this activation, in its transaction, once the dongle is still one a proof may activate;
 * withdrawn, used or no longer standing meanwhile, the activation stops.
 */
export async function spendProof(
  tx: ServiceContext,
  proofId: string,
  accountId: string,
  target: { serial: string; model: string }
): Promise<void> {
  if ((await proofTargetProblem(tx, target, accountId)) !== null) throw proofGone()
  const spent = await updateOpenProofs(tx, {
    used_at: tx.clock.now().toISOString(),
    used_by_account: accountId
  })
    .where('id', '=', proofId)
    .executeTakeFirst()
  if (Number(spent.numUpdatedRows) !== 1) throw proofGone()
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
