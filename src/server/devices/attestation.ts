/**
 * Proof that a dongle is one the factory made (issue 21): the service hands out a one-time challenge (32 random
 * bytes, short-lived, kept only as its SHA-256 with the serial and model it was asked for), the dongle signs the
 * domain-separated message (src/shared/api/attestation.ts) with its Ed25519 key, and the service checks the
 * signature against the manufacturing registry's key and consumes the challenge, once. Every failure —
 * unknown serial, a model other than the registered one, a wrong, expired or reused challenge, a bad signature,
 * a revoked key — is the same refusal with the same work done (a decoy key is verified when there is no real
 * one), so the answer says nothing about which serials exist.
 *
 * Models that cannot attest never activate on a bare serial: they need a proof of purchase (a web-shop order, or a
 * store's receipt that support accepted: ./proofs.ts) and get no trial.
 */
import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto'
import {
  type Attestation,
  CHALLENGE_BYTES,
  DEVICE_NOT_RECOGNISED,
  PROOF_OF_PURCHASE_REQUIRED,
  attestationMessage
} from '../../shared/api/attestation'
import type { ServiceContext } from '../context'
import { ServiceError } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { findRegistryEntry } from './registry'

/** Why a dongle wants to be bound to an account: what may stand in for an attestation differs. */
export type BindingPurpose = 'trial' | 'retail' | 'online' | 'transfer'

export interface DeviceClaim {
  readonly serial: string
  readonly model: string
  readonly attestation?: Attestation | undefined
}

const notRecognised = (): ServiceError =>
  new ServiceError(
    'forbidden',
    'we could not confirm that this is a genuine Dialtone dongle; keep it plugged in directly and try again',
    { reason: DEVICE_NOT_RECOGNISED }
  )

const proofRequired = (): ServiceError =>
  new ServiceError(
    'forbidden',
    'this kind of device cannot prove itself to the service: activate it with the order number of your web-shop purchase (no free trial)',
    { reason: PROOF_OF_PURCHASE_REQUIRED }
  )

const hashOf = (challenge: Uint8Array): string => createHash('sha256').update(challenge).digest('hex')

const rawKey = (base64: string): KeyObject =>
  createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(base64, 'base64').toString('base64url') },
    format: 'jwk'
  })

/** Verified when the serial has no usable key, so a refusal costs the same whatever its cause. */
const DECOY_KEY = rawKey(randomBytes(32).toString('base64'))

export const attests = (ctx: ServiceContext, model: string): boolean =>
  ctx.config.devices.attestingModels.includes(model)

/** A one-time challenge for (serial, model); answered alike whether or not the serial is registered. */
export async function issueChallenge(
  ctx: ServiceContext,
  serial: string,
  model: string,
  ip: string
): Promise<{ challenge: string; expiresAt: string }> {
  await ctx.limiter.hit([LIMITS.challengePerIp, ip])
  const challenge = randomBytes(CHALLENGE_BYTES)
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + ctx.config.devices.challengeTtlMs).toISOString()
  await ctx.db
    .insertInto('device_challenges')
    .values({
      challenge_hash: hashOf(challenge),
      serial,
      model,
      ip,
      expires_at: expiresAt,
      consumed_at: null,
      created_at: now.toISOString()
    })
    .execute()
  // Spent and expired challenges are worth nothing: swept as new ones are made.
  await ctx.db
    .deleteFrom('device_challenges')
    .where('expires_at', '<', new Date(now.getTime() - 60 * 60_000).toISOString())
    .execute()
  return { challenge: challenge.toString('base64'), expiresAt }
}

/** Checks the attestation and consumes its challenge; throws 'device-not-recognised' on any failure. */
export async function requireAttestation(ctx: ServiceContext, claim: DeviceClaim, ip: string): Promise<void> {
  const entry = await findRegistryEntry(ctx, claim.serial)
  let ok = false
  if (claim.attestation) {
    const challenge = Buffer.from(claim.attestation.challenge, 'base64')
    const now = ctx.clock.now().toISOString()
    // Consumed by the first presentation, good or bad: a challenge is never tried twice.
    const consumed = await ctx.db
      .updateTable('device_challenges')
      .set({ consumed_at: now })
      .where('challenge_hash', '=', hashOf(challenge))
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .where('serial', '=', claim.serial)
      .where('model', '=', claim.model)
      .executeTakeFirst()
    const usable = entry !== undefined && entry.model === claim.model && entry.revoked_at === null
    const signed = verify(
      null,
      attestationMessage(claim.model, claim.serial, challenge),
      usable ? rawKey(entry.public_key) : DECOY_KEY,
      Buffer.from(claim.attestation.signature, 'base64')
    )
    ok = Number(consumed.numUpdatedRows) === 1 && usable && signed
  }
  if (!ok) {
    await ctx.audit.record('device.attestation-failed', {
      ip,
      detail: { serial: claim.serial, model: claim.model, presented: claim.attestation !== undefined }
    })
    throw notRecognised()
  }
}

/**
 * The gate in front of every path that binds a dongle to an account. A model that attests must attest. One that
 * cannot: a trial is refused; a retail activation is refused too (unless support accepted a proof of purchase for
 * the person: purchase.ts asks ./proofs.ts before this gate, for every model and channel); an online activation goes on to its order check (the order number
 * with its email is the proof); a transfer goes on to the current owner's approval. A serial the registry holds is
 * of its registered model: claimed as another (one that cannot attest), it is refused like a failed attestation,
 * or whoever read a dongle's serial off its box could bind it with an order for a cheap phone.
 */
export async function requireGenuineDevice(
  ctx: ServiceContext,
  claim: DeviceClaim,
  purpose: BindingPurpose,
  ip: string
): Promise<void> {
  if (attests(ctx, claim.model)) return requireAttestation(ctx, claim, ip)
  const registered = await findRegistryEntry(ctx, claim.serial)
  // requireAttestation refuses it (the registered key is not for the claimed model) and audits the refusal.
  if (registered && registered.model !== claim.model) return requireAttestation(ctx, claim, ip)
  if (purpose === 'trial' || purpose === 'retail') throw proofRequired()
}
