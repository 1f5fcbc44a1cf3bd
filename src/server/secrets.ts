/**
 * Randomness and hashing for secrets: ids, session tokens, codes, and the encryption of SIP passwords at rest.
 * Everything secret is stored hashed (SHA-256 is enough for 256-bit random tokens; a 6-digit code is protected
 * by its short life and attempt limit, not by its hash) or, where the service must give it back (the SIP
 * password the app registers with), encrypted with AES-256-GCM under the service key.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hash,
  randomBytes,
  randomFillSync,
  randomInt,
  timingSafeEqual
} from 'node:crypto'

/**
 * Ids take their 15 random bytes from a pool filled by the CSPRNG 4 KiB at a time (as Node's randomUUID does):
 * one randomBytes call per id cost a renewal, which makes six ids, 6 % of its JavaScript (issue 24 goal 8).
 * Each byte is used once; ids are names, not secrets (tokens below still take their own bytes).
 */
const ID_BYTES = 15
const pool = Buffer.alloc(ID_BYTES * 273)
let poolAt = pool.length

export function newId(prefix: string): string {
  if (poolAt + ID_BYTES > pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  const at = poolAt
  poolAt += ID_BYTES
  return `${prefix}_${pool.toString('base64url', at, at + ID_BYTES)}`
}

/** A bearer secret with a prefix that says what it is (so leaked-secret scanners and people can tell). */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`
}

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

/** Crockford's alphabet (no I, L, O, U): codes people read aloud or type from an email without confusion. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** `length` random Crockford characters: 5 bits each (10 are 50 bits). */
export function crockfordCode(length: number): string {
  return Array.from({ length }, () => CROCKFORD[randomInt(CROCKFORD.length)] ?? '0').join('')
}

/** One call, no Hash object (crypto.hash, Node 20.12+): a renewal hashes its request for idempotency. */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex')
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex')
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export class SecretBox {
  private readonly key: Buffer
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the service key must be 32 bytes')
    this.key = key
  }
  seal(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return [
      'v1',
      iv.toString('base64url'),
      body.toString('base64url'),
      cipher.getAuthTag().toString('base64url')
    ].join('.')
  }
  open(sealed: string): string {
    const [v, iv, body, tag] = sealed.split('.')
    if (v !== 'v1' || !iv || body === undefined || !tag) throw new Error('not a sealed secret')
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  }
}
