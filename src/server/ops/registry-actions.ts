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
import {
  PROOF_CODE_LENGTH,
  PROOF_DAYS,
  proofCodeHash,
  proofTargetProblem,
  shippedToShop,
  updateOpenProofs,
  waitingProofs
} from '../devices/proofs'
import { findRegistryEntry } from '../devices/registry'
import { conflict, forbidden, notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import type { Role } from '../../shared/ops/permissions'
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
  const revokedAt = entry.revoked_at
  return inTransaction(ctx, async (tx) => {
    // Compare and set: the revocation read is the one undone (a revocation made meanwhile is not, and says so).
    const done = await tx.db
      .updateTable('device_registry')
      .set({ revoked_at: null, revoked_by: null, revoked_reason: null })
      .where('serial', '=', serial)
      .where('revoked_at', '=', revokedAt)
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw notRevoked()
    // The dongle proves itself again: a proof of purchase waiting for it stands no more.
    await updateOpenProofs(tx, { withdrawn_at: tx.clock.now().toISOString() })
      .where('serial', '=', serial)
      .execute()
    return { revokedAt }
  })
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

export async function acceptProof(
  ctx: ServiceContext,
  input: ProofInput,
  operator: { readonly id: string; readonly role: Role | null }
): Promise<{ proofId: string; serial: string; email: string; expiresAt: string }> {
  // However a support account is used (or misused), it accepts a bounded number of proofs a day.
  await ctx.limiter.hit([LIMITS.proofPerOperator, operator.id])
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + PROOF_DAYS * DAY_MS).toISOString()
  const proofId = newId('prf')
  const code = crockfordCode(PROOF_CODE_LENGTH)
  await inTransaction(ctx, async (tx) => {
    const problem = await proofTargetProblem(tx, input)
    if (problem) throw problem
    // A dongle shipped to a shop comes with its included months, which a proof would grant: an admin's call.
    if (operator.role !== 'admin' && (await shippedToShop(tx, input.serial)))
      throw forbidden(
        'proof-needs-admin',
        `${input.serial} was shipped to a shop with its included service: an admin accepts its proof of purchase`
      )
    // A proof nobody used in time waits no more: it no longer holds the serial's one waiting place.
    await updateOpenProofs(tx, { withdrawn_at: now.toISOString() })
      .where('serial', '=', input.serial)
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
        code_hash: proofCodeHash(tx.config.serviceKey, code),
        reason: input.reason,
        created_by: operator.id,
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
    // The code goes to the named mailbox only: the operator never sees it, so a proof serves only that mailbox's owner.
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
    ? await updateOpenProofs(ctx, { withdrawn_at: now }).where('id', '=', waiting.id).executeTakeFirst()
    : null
  if (!waiting || Number(done?.numUpdatedRows ?? 0n) !== 1)
    throw conflict('proof-not-waiting', `no proof of purchase for ${serial} is waiting`)
  return { proofId: waiting.id, email: waiting.email }
}
