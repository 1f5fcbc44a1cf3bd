/**
 * Sign-in throttling that an attacker cannot turn against the owner (issue 21; OWASP's "Slow down online
 * guessing attacks with device cookies"):
 * - a client that signed in to this identifier before holds a *device token* (an HMAC over a random id and the
 *   identifier, under the service key: nothing to store) and is throttled only on that token's own attempts;
 * - any other client is throttled per (identifier, address) with growing delays, and all of them together per
 *   identifier — that limit never touches a device that holds a token, so hammering someone's email from many
 *   addresses slows the attackers, not the owner's app;
 * - a success clears the client's rows, and a password reset clears every row of the account's identifiers.
 * Delays grow instead of locking: after a few free attempts each further one must wait 2^n seconds, at most
 * 15 minutes. Each attempt claims its slot with a compare-and-swap on the row (attempts = what was read), so
 * concurrent guesses cannot share one slot: every attempt that runs has advanced the row and its delay first.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { ServiceContext } from '../context'
import { ServiceError } from '../http/errors'
import type { Limit } from '../http/rate-limit'
import { safeEqual } from '../secrets'
import { budgetAddress } from '../http/client-network'

interface Rule {
  /** Attempts allowed before delays start. */
  readonly free: number
}

/** The rules per kind of key (documented in docs/service.md). */
export const THROTTLE = {
  /** One address guessing one identifier. */
  address: { free: 5 },
  /** Every client without a device token, together, for one identifier. */
  untrusted: { free: 20 },
  /** One device that signed in before. */
  device: { free: 10 }
} as const satisfies Record<string, Rule>

export const MAX_DELAY_MS = 15 * 60_000
/** Rows untouched this long start again from zero. */
const FORGET_AFTER_MS = 24 * 60 * 60_000

/** How long the attempt after `attempts` ones must wait (0 while free). */
export function delayAfter(rule: Rule, attempts: number): number {
  if (attempts < rule.free) return 0
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(20, attempts - rule.free))
}

const PREFIX = 'dtd_'

function mac(key: Buffer, id: string, identifier: string): string {
  return createHmac('sha256', key).update(`device-token:${id}:${identifier}`).digest('base64url')
}

/** A new device token for a client that just signed in to `identifier` (normalised). */
export function issueDeviceToken(ctx: ServiceContext, identifier: string): string {
  const id = randomBytes(16).toString('base64url')
  return `${PREFIX}${id}.${mac(ctx.config.serviceKey, id, identifier)}`
}

/** The token's id when it was issued by this service for this identifier; null otherwise (never throws). */
export function deviceTokenId(
  ctx: ServiceContext,
  token: string | undefined,
  identifier: string
): string | null {
  if (!token?.startsWith(PREFIX)) return null
  const [id, tag] = token.slice(PREFIX.length).split('.')
  if (!id || !tag || !/^[\w-]{22}$/.test(id)) return null
  return safeEqual(tag, mac(ctx.config.serviceKey, id, identifier)) ? id : null
}

interface Claim {
  readonly key: string
  readonly rule: Rule
}

/** The rows one attempt counts against. */
export function claimsFor(identifier: string, ip: string, deviceId: string | null): Claim[] {
  if (deviceId !== null) return [{ key: `dev:${deviceId}`, rule: THROTTLE.device }]
  return [
    { key: `ip:${ip}:${identifier}`, rule: THROTTLE.address },
    { key: `id:${identifier}`, rule: THROTTLE.untrusted }
  ]
}

function slowDown(waitMs: number): ServiceError {
  const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000))
  return new ServiceError('rate-limited', `too many sign-in attempts; try again in ${retryAfterS} seconds`, {
    retryAfterS,
    reason: 'signin-delay',
    params: { retryAfterS }
  })
}

/**
 * One sign-in attempt of a subscriber (auth.ts) or an operator (ops/operators.ts), claimed before any password is
 * hashed. A client whose device token is this identifier's counts only its own attempts: not the address's nor
 * everyone's budget (`budgets`, which a flood from many addresses could spend) and not the identifier's either.
 * Any other client counts against those budgets, then per (identifier, address) and per identifier. The claims
 * are cleared on success (clearAttempts); `device` is the token's id, null for a client without a valid one.
 */
export async function claimSignIn(
  ctx: ServiceContext,
  identifier: string,
  ip: string,
  deviceToken: string | undefined,
  budgets: { readonly perIp: Limit; readonly overall: Limit }
): Promise<{ claims: Claim[]; device: string | null }> {
  const device = deviceTokenId(ctx, deviceToken, identifier)
  if (device === null) await ctx.limiter.hit([budgets.perIp, ip], [budgets.overall, 'all'])
  const claims = claimsFor(identifier, budgetAddress(ip), device)
  await claimAttempt(ctx, identifier, claims)
  return { claims, device }
}

/**
 * Claims one attempt on each row, or throws rate-limited (with Retry-After) when a row says to wait. The claim
 * assumes the attempt fails (the next one is delayed already); `clear` undoes it on success.
 */
export async function claimAttempt(ctx: ServiceContext, identifier: string, claims: Claim[]): Promise<void> {
  for (const c of claims) await claimOne(ctx, identifier, c)
}

async function claimOne(ctx: ServiceContext, identifier: string, c: Claim): Promise<void> {
  for (let tries = 0; tries < 20; tries++) {
    const now = ctx.clock.now()
    const row = await ctx.db
      .selectFrom('signin_throttle')
      .select(['attempts', 'next_at', 'updated_at'])
      .where('key', '=', c.key)
      .executeTakeFirst()
    if (!row) {
      const inserted = await ctx.db
        .insertInto('signin_throttle')
        .values({
          key: c.key,
          identifier,
          attempts: 1,
          next_at: new Date(now.getTime() + delayAfter(c.rule, 1)).toISOString(),
          updated_at: now.toISOString()
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst()
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return
      continue // someone else created it: read again
    }
    const stale = now.getTime() - Date.parse(row.updated_at) > FORGET_AFTER_MS
    const wait = Date.parse(row.next_at) - now.getTime()
    if (!stale && wait > 0) throw slowDown(wait)
    const attempts = (stale ? 0 : row.attempts) + 1
    const swapped = await ctx.db
      .updateTable('signin_throttle')
      .set({
        attempts,
        next_at: new Date(now.getTime() + delayAfter(c.rule, attempts)).toISOString(),
        updated_at: now.toISOString()
      })
      .where('key', '=', c.key)
      .where('attempts', '=', row.attempts)
      .where('updated_at', '=', row.updated_at)
      .executeTakeFirst()
    if (Number(swapped.numUpdatedRows) === 1) return
  }
  // Twenty lost races in a row: this key is under a burst; make this attempt wait rather than run unclaimed.
  throw slowDown(1000)
}

/** A successful sign-in: the client's own rows start again (the per-identifier one too: the owner is back). */
export async function clearAttempts(ctx: ServiceContext, claims: Claim[]): Promise<void> {
  await ctx.db
    .deleteFrom('signin_throttle')
    .where(
      'key',
      'in',
      claims.map((c) => c.key)
    )
    .execute()
}

/** A password reset: every row of these identifiers goes (the reset is the unlock path). */
export async function clearIdentifiers(ctx: ServiceContext, identifiers: readonly string[]): Promise<void> {
  if (identifiers.length === 0) return
  await ctx.db
    .deleteFrom('signin_throttle')
    .where('identifier', 'in', [...identifiers])
    .execute()
}
