/**
 * A periodic job's items, each on its own. A job reads what is due and works through it in the same order every
 * pass; when one item threw, the job stopped there, and the items after it waited behind it pass after pass for as
 * long as it kept throwing (a fault, a row no one foresaw, a call record shaped by a hostile caller). Here an item
 * that throws is logged with the job's name, the item's id and a code, and the job goes on with the next; the item
 * is met again on the next pass, as before.
 *
 * `reasonOf` is that code: never an error's message, which may carry a card token, an address or a row's values.
 */
import type { ServiceContext } from './context'
import { ServiceError } from './http/errors'

/**
 * Why something failed, as a code an operator can look up: the service's reason for its own refusals, the
 * database's code (PostgreSQL's SQLSTATE, SQLite's SQLITE_*), the system's error code (ECONNREFUSED: a peer
 * unreachable, also under fetch's TypeError), else the error's class.
 */
export function reasonOf(err: unknown): string {
  if (err instanceof ServiceError) return err.reason
  const e = err as { code?: unknown; severity?: unknown; name?: unknown; cause?: { code?: unknown } } | null
  // A network failure under fetch is a TypeError whose cause carries the system's code.
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : ''
  if (/^[0-9A-Z]{5}$/.test(code) && e?.severity !== undefined) return `database-${code.toLowerCase()}`
  if (/^SQLITE_[A-Z_]{1,40}$/.test(code)) return `database-${code.toLowerCase()}`
  if (/^E[A-Z0-9_]{2,30}$/.test(code)) return `system-${code.toLowerCase()}`
  const name = typeof e?.name === 'string' && /^[A-Za-z]{1,40}$/.test(e.name) ? e.name : 'Error'
  return `error-${name.toLowerCase()}`
}

export interface ItemsOutcome<R> {
  /** The results of the items that did not throw, in order. */
  readonly done: R[]
  /** How many threw (each logged). */
  readonly failed: number
}

/**
 * Runs `run` on each item in turn; one that throws is logged and passed over (`failed`, if given, records it: a
 * job whose items are read in the same order every pass keeps one that always fails from taking a place).
 */
export async function eachItem<T, R>(
  ctx: ServiceContext,
  job: string,
  items: Iterable<T>,
  idOf: (item: T) => string,
  run: (item: T) => Promise<R>,
  failedHook?: (item: T, reason: string) => Promise<unknown>
): Promise<ItemsOutcome<R>> {
  const done: R[] = []
  let failed = 0
  for (const item of items) {
    try {
      done.push(await run(item))
    } catch (err) {
      failed++
      const reason = reasonOf(err)
      ctx.log.error(`${job}: ${idOf(item)} failed (${reason}); the others go on, it is tried again later`)
      await failedHook?.(item, reason)
    }
  }
  return { done, failed }
}
