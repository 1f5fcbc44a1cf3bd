/**
 * What operators do to a dongle's standing in the manufacturing registry (migration 0038):
 *
 * - **Revoke** a factory key known to be leaked (admin): from then on no binding accepts its attestation (trial,
 *   activation, transfer request: src/server/devices/attestation.ts), with who and why kept on the row. A line
 *   already on the dongle keeps working: its SIP credentials are the line's, not the key's; what to do about the
 *   owner is support's next step (suspend-line, move-device), not implied. **Restore** undoes a revocation made in
 *   error (admin).
 * - **Accept a proof of purchase** (support, admin) for a dongle that cannot prove itself (checkProofTarget says
 *   which): the service emails the person a code, which the operator never sees, and the person activates it as
 *   bought once, within src/server/devices/proofs.ts's PROOF_DAYS. **Withdraw** one accepted in error.
 *
 * Every change is a guarded UPDATE or a conditional INSERT, so two operators at once change it once; the audit row
 * (serve-ops.ts) carries the reason, the state before and after.
 */
import type { ServiceContext } from '../context'
import { inTransaction } from '../context'
import { attests } from '../devices/attestation'
import { PROOF_CODE_LENGTH, PROOF_DAYS, proofCodeHash, waitingProofs } from '../devices/proofs'
import { findRegistryEntry } from '../devices/registry'
import { conflict, notFound } from '../http/errors'
import { enqueue } from '../mail/outbox'
import { templates } from '../mail/templates'
import { crockfordCode, newId } from '../secrets'
import { wordsLanguage } from '../words/format'

const DAY_MS = 86_400_000

async function registered(ctx: ServiceContext, serial: string) {
  const entry = await findRegistryEntry(ctx, serial)
  if (!entry) throw notFound('serial-unknown', `the serial ${serial} in the manufacturing registry`)
  return entry
}

export async function revokeKey(
  ctx: ServiceContext,
  serial: string,
  operatorId: string,
  reason: string
): Promise<{ serial: string; revokedAt: string }> {
  await registered(ctx, serial)
  const now = ctx.clock.now().toISOString()
  const done = await ctx.db
    .updateTable('device_registry')
    .set({ revoked_at: now, revoked_by: operatorId, revoked_reason: reason })
    .where('serial', '=', serial)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (Number(done.numUpdatedRows) !== 1)
    throw conflict('key-revoked', `the key of ${serial} is already revoked`)
  return { serial, revokedAt: now }
}

export async function restoreKey(ctx: ServiceContext, serial: string): Promise<{ revokedAt: string }> {
  const entry = await registered(ctx, serial)
  const notRevoked = () => conflict('key-not-revoked', `the key of ${serial} is not revoked`)
  if (entry.revoked_at === null) throw notRevoked()
  // Compare and set: the revocation read is the one undone (a revocation made meanwhile is not, and says so).
  const done = await ctx.db
    .updateTable('device_registry')
    .set({ revoked_at: null, revoked_by: null, revoked_reason: null })
    .where('serial', '=', serial)
    .where('revoked_at', '=', entry.revoked_at)
    .executeTakeFirst()
  if (Number(done.numUpdatedRows) !== 1) throw notRevoked()
  return { revokedAt: entry.revoked_at }
}

export interface ProofInput {
  readonly serial: string
  readonly model: string
  readonly email: string
  readonly proof: string
  readonly reason: string
  /** The email's language; without it, that of the account where the address is confirmed, else English. */
  readonly language?: string | undefined
}

async function languageOfAddress(tx: ServiceContext, input: ProofInput) {
  if (input.language) return wordsLanguage(input.language)
  const account = await tx.db
    .selectFrom('account_emails')
    .innerJoin('accounts', 'accounts.id', 'account_emails.account_id')
    .select('accounts.language')
    .where('account_emails.address', '=', input.email)
    .where('account_emails.verified_at', 'is not', null)
    .executeTakeFirst()
  return wordsLanguage(account?.language)
}

/**
 * Only for a dongle that cannot prove itself, and not one sold online: a registered dongle's key must have been
 * revoked (by an admin) first, an unregistered serial must be of a model that cannot attest, and a serial a web-shop
 * order names is the order's buyer's. So support cannot take a dongle that proves itself, nor mint one.
 */
async function checkProofTarget(tx: ServiceContext, input: ProofInput): Promise<void> {
  const entry = await findRegistryEntry(tx, input.serial)
  const device = await tx.db
    .selectFrom('devices')
    .select(['owner_account_id', 'model'])
    .where('serial', '=', input.serial)
    .executeTakeFirst()
  const model = entry?.model ?? device?.model
  if (model !== undefined && model !== input.model)
    throw conflict('model-mismatch', `${input.serial} is model ${model}, not ${input.model}`, { model })
  if (entry && entry.revoked_at === null)
    throw conflict(
      'key-not-revoked',
      `${input.serial} can prove itself: a proof of purchase is for a dongle that cannot (an admin revokes a leaked key first)`
    )
  if (!entry && attests(tx, input.model))
    throw notFound('serial-unknown', `the serial ${input.serial} in the manufacturing registry`)
  if (device?.owner_account_id)
    throw conflict('device-owned', `${input.serial} is on account ${device.owner_account_id} already`, {
      account: device.owner_account_id
    })
  const order = await tx.db
    .selectFrom('orders')
    .select('number')
    .where('serial', '=', input.serial)
    .executeTakeFirst()
  if (order)
    throw conflict(
      'serial-sold-online',
      `${input.serial} was sold online (order ${order.number}): its buyer activates it with the order`,
      { order: order.number }
    )
}

export async function acceptProof(
  ctx: ServiceContext,
  input: ProofInput,
  operatorId: string
): Promise<{ proofId: string; serial: string; email: string; expiresAt: string }> {
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + PROOF_DAYS * DAY_MS).toISOString()
  const proofId = newId('prf')
  const code = crockfordCode(PROOF_CODE_LENGTH)
  await inTransaction(ctx, async (tx) => {
    await checkProofTarget(tx, input)
    // A proof nobody used in time waits no more: it no longer holds the serial's one waiting place.
    await tx.db
      .updateTable('device_proofs')
      .set({ withdrawn_at: now.toISOString() })
      .where('serial', '=', input.serial)
      .where('used_at', 'is', null)
      .where('withdrawn_at', 'is', null)
      .where('expires_at', '<=', now.toISOString())
      .execute()
    const made = await tx.db
      .insertInto('device_proofs')
      .values({
        id: proofId,
        serial: input.serial,
        model: input.model,
        email: input.email,
        proof: input.proof,
        code_hash: proofCodeHash(code),
        reason: input.reason,
        created_by: operatorId,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        used_at: null,
        used_by_account: null,
        withdrawn_at: null
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    if (Number(made.numInsertedOrUpdatedRows ?? 0n) !== 1)
      throw conflict('proof-waiting', `a proof of purchase for ${input.serial} is waiting already`)
    // The code goes to the person's mailbox only: the operator never sees it, so cannot use the proof themselves.
    await enqueue(tx.db, tx.clock, {
      ...templates(await languageOfAddress(tx, input)).proofAccepted(
        input.serial,
        code,
        expiresAt.slice(0, 10)
      ),
      channel: 'email',
      to: input.email,
      purpose: 'device-proof',
      accountId: null
    })
  })
  return { proofId, serial: input.serial, email: input.email, expiresAt }
}

export async function withdrawProof(
  ctx: ServiceContext,
  serial: string
): Promise<{ proofId: string; email: string }> {
  const now = ctx.clock.now().toISOString()
  const waiting = await waitingProofs(ctx, serial).select(['id', 'email']).executeTakeFirst()
  const done = waiting
    ? await ctx.db
        .updateTable('device_proofs')
        .set({ withdrawn_at: now })
        .where('id', '=', waiting.id)
        .where('used_at', 'is', null)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst()
    : null
  if (!waiting || Number(done?.numUpdatedRows ?? 0n) !== 1)
    throw conflict('proof-not-waiting', `no proof of purchase for ${serial} is waiting`)
  return { proofId: waiting.id, email: waiting.email }
}
