/**
 * Password hashing with scrypt from node:crypto (no native dependency; OWASP's scrypt parameters N=2^14, r=8,
 * p=5, equivalent in cost to their recommended N=2^17, p=1 but with 16 MiB of memory per hash instead of 128).
 * The parameters travel inside each hash, so they can be raised later and old hashes still verify.
 * `verifyAgainstNothing` spends the same time when there is no account, so sign-in cannot tell who exists.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { WeakPasswordCode } from '../../shared/api/reasons'

export interface ScryptCost {
  readonly N: number
  readonly r: number
  readonly p: number
}
export const PRODUCTION_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 5 }
/** For tests that create many accounts and are not about hashing; never used by `npm run server`. */
export const FAST_TEST_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 }

const KEY_LENGTH = 32

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    maxmem: 256 * cost.N * cost.r + 1024 * 1024
  }
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key)
    )
  )
}

export class PasswordHasher {
  private readonly cost: ScryptCost
  private dummy: Promise<string> | null = null

  constructor(cost: ScryptCost = PRODUCTION_COST) {
    this.cost = cost
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16)
    const key = await scrypt(password, salt, this.cost)
    const { N, r, p } = this.cost
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [kind, n, r, p, salt, key] = stored.split('$')
    if (kind !== 'scrypt' || !salt || !key) return false
    const expected = Buffer.from(key, 'base64url')
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), {
      N: Number(n),
      r: Number(r),
      p: Number(p)
    })
    return actual.length === expected.length && timingSafeEqual(actual, expected)
  }

  /** Same work as a real verification, always false: for identifiers that match no account. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('dialtone-no-such-account')
    await this.verify(password, await this.dummy)
    return false
  }
}

/** The most common passwords (ASVS 6.2.4 asks for the top 3000; this is the head of that list). */
const COMMON = new Set(
  (
    '12345678 123456789 1234567890 password password1 password123 qwertyui qwerty123 11111111 00000000 ' +
    '12341234 87654321 iloveyou abcd1234 1q2w3e4r 1qaz2wsx qwertyuiop football baseball sunshine princess ' +
    'welcome1 letmein1 trustno1 passw0rd superman starwars whatever dragon123 monkey123 asdfghjk ' +
    'zaq12wsx 123123123 987654321 11223344 q1w2e3r4 changeme magicjack dialtone'
  ).split(' ')
)

/**
 * Why a new password is refused, or null: a code the app words next to the field (the same rules the app lists
 * before the person types) and an English sentence for API users.
 */
export function weakPasswordReason(
  password: string,
  context: readonly string[]
): { code: WeakPasswordCode; message: string } | null {
  const lower = password.toLowerCase()
  if (COMMON.has(lower))
    return { code: 'password-common', message: 'this password is among the most common ones; choose another' }
  if (/^(.)\1+$/.test(password))
    return { code: 'password-repeated', message: 'a password of one repeated character is too easy to guess' }
  // Each word of a name counts on its own ("Ada Lovelace" forbids "lovelace"), as does the whole.
  const words = context.flatMap((c) => [c, ...c.split(/[\s._+-]+/u)])
  for (const word of words)
    if (word.length >= 4 && lower.includes(word.toLowerCase()))
      return { code: 'password-personal', message: 'the password must not contain your name or email' }
  return null
}
