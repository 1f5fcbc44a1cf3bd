/**
 * Operators' second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps) through `otpauth`, and recovery
 * codes. A code is accepted one step either side of the service's clock (drift), never older, and each step only
 * once per operator: the caller stores the step it accepted and refuses any step not newer. Recovery codes are
 * 60 random bits each, kept only as HMAC-SHA-256 under the service key (a copy of the database alone checks
 * nothing), and each works once.
 */
import { createHmac, randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'

const PERIOD = 30
export const ISSUER = 'Dialtone ops'

function totp(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret)
  })
}

/** A new secret (160 bits, base32) and the otpauth:// URI an authenticator app scans. */
export function newTotpSecret(label: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32
  return { secret, uri: totp(secret, label).toString() }
}

/** The time step a code belongs to when it is valid at `now` (±1 step) and newer than `lastStep`; else null. */
export function acceptedStep(
  secret: string,
  code: string,
  now: Date,
  lastStep: number | null
): number | null {
  const delta = totp(secret, 'check').validate({ token: code, timestamp: now.getTime(), window: 1 })
  if (delta === null) return null
  const step = Math.floor(now.getTime() / 1000 / PERIOD) + delta
  return lastStep !== null && step <= lastStep ? null : step
}

/** The code for `at` (tests and the CLI's own checks only: operators use their authenticator). */
export const totpCode = (secret: string, at: Date): string =>
  totp(secret, 'code').generate({ timestamp: at.getTime() })

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'

/** Ten recovery codes, xxxx-xxxx-xxxx (no 0/o, 1/l look-alikes). */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`
  })
}

export const recoveryHash = (key: Buffer, code: string): string =>
  createHmac('sha256', key).update(`ops-recovery:${code.trim().toLowerCase()}`).digest('base64url')

export const isRecoveryCode = (code: string): boolean => /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/.test(code)
