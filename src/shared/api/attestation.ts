/**
 * Device attestation (issue 21): a dongle proves it is one the factory made by signing the service's one-time
 * challenge with the Ed25519 key only it holds; the manufacturing registry has the public half. This file is the
 * contract both ends share: the wire shapes, and the exact bytes the dongle signs, so the service, the app, the
 * virtual dongle and the rig's gadget can never disagree about them.
 *
 * The signed message is domain-separated (a Dialtone attestation can never be mistaken for any other signature
 * made with the same key) and names the serial and model, so a signature from one dongle proves nothing about
 * another: DOMAIN, 0x00, model (ASCII "vvvv:pppp"), 0x00, serial (ASCII), 0x00, challenge (32 bytes).
 */
import { z } from 'zod'

export const ATTESTATION_DOMAIN = 'dialtone/device-attestation/v1'
export const CHALLENGE_BYTES = 32
export const SIGNATURE_BYTES = 64

/** The bytes a dongle signs for a challenge. */
export function attestationMessage(model: string, serial: string, challenge: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(`${ATTESTATION_DOMAIN}\0${model}\0${serial}\0`)
  const out = new Uint8Array(text.length + challenge.length)
  out.set(text)
  out.set(challenge, text.length)
  return out
}

/** Bytes a base64 text decodes to (atob, not Buffer: this file also runs in the renderer). */
function decodedLength(s: string): number {
  try {
    return atob(s).length
  } catch {
    return -1
  }
}

const base64Of = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, `${what} is base64`)
    .refine((s) => decodedLength(s) === bytes, `${what} is ${bytes} bytes`)

export const challengeBase64 = base64Of(CHALLENGE_BYTES, 'the challenge')
export const signatureBase64 = base64Of(SIGNATURE_BYTES, 'the signature')
/** A raw Ed25519 public key (32 bytes) in base64, as the registry keeps it. */
export const publicKeyBase64 = base64Of(32, 'the public key')

/** What an activation carries: the challenge the service handed out, and the dongle's signature over it. */
export const attestation = z.object({ challenge: challengeBase64, signature: signatureBase64 }).strict()
export type Attestation = z.infer<typeof attestation>

export const challengeResponse = z.object({
  challenge: challengeBase64,
  /** When it stops being accepted; it is accepted once. */
  expiresAt: z.iso.datetime()
})

/**
 * The one answer to every failed attestation (unknown serial, unknown model, wrong, expired or reused challenge,
 * bad signature): telling them apart would tell an attacker which serials exist.
 */
export const DEVICE_NOT_RECOGNISED = 'device-not-recognised'
/** A model that cannot attest activates only with a web-shop order or a till activation record, never on trial. */
export const PROOF_OF_PURCHASE_REQUIRED = 'proof-of-purchase-required'

/**
 * Every reason an attestation can fail with, as the app words them (locale section "attestation"): the service's
 * two, and the app's own two when the dongle is not there to sign.
 */
export const ATTESTATION_REASONS = [
  DEVICE_NOT_RECOGNISED,
  PROOF_OF_PURCHASE_REQUIRED,
  'dongle-not-plugged',
  'dongle-unplugged'
] as const
export const isAttestationReason = (r: string | undefined): r is (typeof ATTESTATION_REASONS)[number] =>
  (ATTESTATION_REASONS as readonly (string | undefined)[]).includes(r)
