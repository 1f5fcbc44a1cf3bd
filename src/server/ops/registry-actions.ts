/**
 * What operators do to a dongle's standing in the manufacturing registry (migration 0038):
 *
 * - **Revoke** a factory key known to be leaked (admin): from then on no binding accepts its attestation (trial,
 *   activation, transfer request: src/server/devices/attestation.ts), with who and why kept on the row. A line
 *   already on the dongle keeps working: its SIP credentials are the line's, not the key's; what to do about the
 *   owner is support's next step (suspend-line, move-device), not implied. **Restore** undoes a revocation made in
 *   error (admin).
 * - **Accept a proof of purchase** (support, admin) for a dongle that cannot attest: the person who showed it may
 *   activate it as bought (in a shop, or online with its order), once, within src/server/devices/proofs.ts's PROOF_DAYS. Refused for a dongle
 *   already on an account (ownership is a move, not an activation), for a registered serial claimed as another
 *   model, and while another proof waits (withdraw it first). **Withdraw** one accepted in error.
 *
 * Every change is a guarded UPDATE or a conditional INSERT, so two operators at once change it once; the audit row
 * (serve-ops.ts) carries the reason, the state before and after.
 */
import type { ServiceContext } from '../context'
import { inTransaction } from '../context'
import { conflict, notFound } from '../http/errors'
import { newId } from '../secrets'
import { PROOF_DAYS } from '../devices/proofs'
import { findRegistryEntry } from '../devices/registry'

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
  const done = await ctx.db
    .updateTable('device_registry')
    .set({ revoked_at: null, revoked_by: null, revoked_reason: null })
    .where('serial', '=', serial)
    .where('revoked_at', 'is not', null)
    .executeTakeFirst()
  if (Number(done.numUpdatedRows) !== 1 || entry.revoked_at === null)
    throw conflict('key-not-revoked', `the key of ${serial} is not revoked`)
  return { revokedAt: entry.revoked_at }
}

export interface ProofInput {
  readonly serial: string
  readonly model: string
  readonly email: string
  readonly proof: string
  readonly reason: string
}

export async function acceptProof(
  ctx: ServiceContext,
  input: ProofInput,
  operatorId: string
): Promise<{ proofId: string; serial: string; email: string; expiresAt: string }> {
  const entry = await findRegistryEntry(ctx, input.serial)
  if (entry && entry.model !== input.model)
    throw conflict('model-mismatch', `${input.serial} was made as model ${entry.model}, not ${input.model}`, {
      model: entry.model
    })
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + PROOF_DAYS * DAY_MS).toISOString()
  const proofId = newId('prf')
  await inTransaction(ctx, async (tx) => {
    const owner = await tx.db
      .selectFrom('devices')
      .select('owner_account_id')
      .where('serial', '=', input.serial)
      .executeTakeFirst()
    if (owner?.owner_account_id)
      throw conflict('device-owned', `${input.serial} is on account ${owner.owner_account_id} already`, {
        account: owner.owner_account_id
      })
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
  })
  return { proofId, serial: input.serial, email: input.email, expiresAt }
}

export async function withdrawProof(
  ctx: ServiceContext,
  serial: string
): Promise<{ proofId: string; email: string }> {
  const now = ctx.clock.now().toISOString()
  const waiting = await ctx.db
    .selectFrom('device_proofs')
    .select(['id', 'email'])
    .where('serial', '=', serial)
    .where('used_at', 'is', null)
    .where('withdrawn_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
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
