/**
 * Idempotency keys for every money-moving request (research billing.md §5.5, Stripe's semantics): the app
 * makes one key per intent and reuses it on retry. The first request with a key runs and its answer (success or
 * a 4xx) is kept; a replay gets that answer again; the same key with a different request is refused. A request
 * that died mid-way (crash, 500) leaves its key "in progress"; after a short lease the next retry runs it again,
 * and the operation itself resumes (orders and charges are keyed too), so nothing happens twice.
 */
import type { Insertable } from 'kysely'
import type { ServiceContext } from '../context'
import type { IdempotencyKeysTable } from '../db/schema-billing'
import type { ReasonCode, ReasonParams } from '../../shared/api/reasons'
import { ServiceError } from '../http/errors'
import { sha256 } from '../secrets'

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value
  )

export interface Answer<T> {
  readonly status: number
  readonly body: T
}

/**
 * Stores the answer inside the caller's own transaction (the one that does the work), so the key is done when
 * the work commits and no statement of its own is needed after it. The answer must be what `run` returns.
 */
export interface Settle {
  (tx: ServiceContext, answer: Answer<unknown>): Promise<void>
  /**
   * For work that stores the answer in a statement of its own making (renewal-fast.ts: the whole fulfilment is
   * one statement): the key (of the scope's account) to write it under, and `written()` to say it did.
   */
  readonly key: string
  readonly written: () => void
  /**
   * Where the answer is kept: 'key', the request's `idempotency_keys` row (`key` names it); 'order', the order
   * itself (`response_body`, migration 0031: checkout-keyed.ts), written with its paid mark where it can be.
   */
  readonly into: 'key' | 'order'
}

export type Scope = { accountId: string; key: string; endpoint: string; request: unknown }

/** The row that claims a request's key. */
function claimRow(ctx: ServiceContext, scope: Scope): Insertable<IdempotencyKeysTable> {
  const now = ctx.clock.now().toISOString()
  return {
    account_id: scope.accountId,
    key: scope.key,
    endpoint: scope.endpoint,
    request_hash: requestHash(scope),
    status: 'in_progress',
    response_status: null,
    response_body: null,
    created_at: now,
    updated_at: now
  }
}

/** What identifies a request under its key: its endpoint and its body, canonical (keys sorted). */
export const requestHash = (scope: Scope): string => sha256(`${scope.endpoint}\n${canonical(scope.request)}`)

export const keyMismatch = (): ServiceError =>
  new ServiceError('conflict', 'this idempotency key was already used for a different request', {
    reason: 'idempotency-mismatch'
  })

export const inProgress = (retryAfterS: number): ServiceError =>
  new ServiceError('conflict', 'this request is still being processed; try again in a moment', {
    reason: 'in-progress',
    retryAfterS
  })

export async function idempotent<T>(
  ctx: ServiceContext,
  scope: Scope,
  run: (settle: Settle) => Promise<Answer<T>>
): Promise<Answer<T>> {
  const claim = claimRow(ctx, scope)
  const hash = claim.request_hash
  const now = new Date(claim.created_at)
  const LEASE_MS = ctx.config.billing.idempotencyLeaseMs
  const release = () =>
    ctx.db
      .deleteFrom('idempotency_keys')
      .where('account_id', '=', scope.accountId)
      .where('key', '=', scope.key)
      .execute()
  const inserted =
    Number(
      (
        await ctx.db
          .insertInto('idempotency_keys')
          .values(claim)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst()
      ).numInsertedOrUpdatedRows ?? 0n
    ) === 1
  if (!inserted) {
    const row = await ctx.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('key', '=', scope.key)
      .executeTakeFirstOrThrow()
    if (row.endpoint !== scope.endpoint || row.request_hash !== hash) throw keyMismatch()
    if (row.status === 'done') {
      const body = JSON.parse(row.response_body ?? 'null') as T
      if ((row.response_status ?? 500) >= 400) throw replayedError(row.response_status ?? 500, body)
      return { status: row.response_status ?? 200, body }
    }
    const stale = Date.parse(row.updated_at) + LEASE_MS <= now.getTime()
    const taken =
      stale &&
      Number(
        (
          await ctx.db
            .updateTable('idempotency_keys')
            .set({ updated_at: now.toISOString() })
            .where('account_id', '=', scope.accountId)
            .where('key', '=', scope.key)
            .where('updated_at', '=', row.updated_at)
            .executeTakeFirst()
        ).numUpdatedRows
      ) === 1
    if (!taken)
      throw inProgress(Math.max(1, Math.ceil((Date.parse(row.updated_at) + LEASE_MS - now.getTime()) / 1000)))
  }
  // The key may be held by a checkout order instead (migration 0031, checkout-keyed.ts): another endpoint's
  // request with it is refused as it would be by a key row. (Checkout itself compares the order's hash.)
  if (inserted && scope.endpoint !== 'checkout') {
    const order = await ctx.db
      .selectFrom('checkout_orders')
      .select('id')
      .where('account_id', '=', scope.accountId)
      .where('idempotency_key', '=', scope.key)
      .where('request_hash', 'is not', null)
      .executeTakeFirst()
    if (order) {
      await release()
      throw keyMismatch()
    }
  }
  const finish = (status: number, body: unknown, db = ctx.db) =>
    db
      .updateTable('idempotency_keys')
      .set({
        status: 'done',
        response_status: status,
        response_body: JSON.stringify(body),
        updated_at: ctx.clock.now().toISOString()
      })
      .where('account_id', '=', scope.accountId)
      .where('key', '=', scope.key)
      .execute()
  let settled = false
  const settle: Settle = Object.assign(
    async (tx: ServiceContext, answer: Answer<unknown>) => {
      await finish(answer.status, answer.body, tx.db)
      settled = true
    },
    { key: scope.key, written: () => void (settled = true), into: 'key' as const }
  )
  try {
    const answer = await run(settle)
    // Settled in run's transaction, which committed (run returned): nothing left to write.
    if (!settled) await finish(answer.status, answer.body)
    return answer
  } catch (err) {
    // A deliberate refusal is part of the answer (a replay must not charge a declined card again); anything
    // else frees the key so a retry can resume. A mismatch found in the work (the key held by another request's
    // order, checkout.ts) is that request's key, not this one's answer.
    if (err instanceof ServiceError && err.status < 500 && err.reason !== 'idempotency-mismatch')
      await finish(err.status, err.toBody())
    else await release()
    throw err
  }
}

function replayedError(status: number, body: unknown): ServiceError {
  const e =
    (
      body as {
        error?: { code?: string; message?: string; reason?: ReasonCode; params?: ReasonParams; issues?: [] }
      }
    ).error ?? {}
  const err = new ServiceError(
    (e.code ?? 'internal') as ServiceError['code'],
    e.message ?? `replayed ${status}`,
    {
      reason: e.reason ?? 'internal',
      ...(e.params ? { params: e.params } : {}),
      issues: e.issues ?? []
    }
  )
  return err
}
