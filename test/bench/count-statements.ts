/**
 * A service context whose database counts what goes to it: statements (every query Kysely sends, raw SQL and
 * savepoints included, and those the context's batcher sends with other requests' statements) and transactions
 * begun (each a BEGIN and a COMMIT more). Round trips on PostgreSQL: each statement sent alone, two per
 * transaction, and one per batch (db/statement-batch.ts: several requests' statements in one message). For the
 * billing benchmark's renewal cost.
 */
import type { KyselyPlugin } from 'kysely'
import { type ServiceContext, createContext } from '../../src/server/context'

export interface CountingContext {
  readonly ctx: ServiceContext
  readonly statements: () => number
  readonly transactions: () => number
  /** Round trips to the database (PostgreSQL): a batch of several requests' statements counts once. */
  readonly roundTrips: () => number
}

export function countingContext(base: ServiceContext): CountingContext {
  let statements = 0
  let transactions = 0
  let batched = 0
  // Counted as results come back: a query built inside another (INSERT ... SELECT) passes transformQuery too
  // but is one statement on the wire.
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      statements++
      return args.result
    }
  }
  const db = base.db.withPlugin(plugin)
  // Counted where inTransaction begins one (an own property shadowing the method; a Proxy would break Kysely's
  // private fields).
  const begin = db.transaction.bind(db)
  Object.assign(db, {
    transaction: () => {
      transactions++
      return begin()
    }
  })
  // The batcher's statements pass no plugin: counted as they are handed to it; its round trips from its own count.
  const batcher = base.batch
  const tripsBefore = batcher?.stats().roundTrips ?? 0
  const batch = batcher && {
    run: ((query) => {
      statements++
      batched++
      return batcher.run(query)
    }) as typeof batcher.run,
    stats: () => batcher.stats(),
    // SQLite's units of several statements (group-commit.ts): a transaction each, their statements counted.
    ...(batcher.transaction
      ? {
          transaction: <T>(work: (on: typeof db) => Promise<T>) => {
            transactions++
            return (batcher.transaction as NonNullable<typeof batcher.transaction>)((trx) =>
              work(trx.withPlugin(plugin))
            )
          }
        }
      : {})
  }
  // The gateway too (the sandbox processor writes to the same database), built on the counting handle.
  const ctx = createContext({
    db,
    dialect: base.dialect,
    ...(batch ? { batch } : {}),
    clock: base.clock,
    config: base.config,
    log: base.log
  })
  return {
    ctx,
    statements: () => statements,
    transactions: () => transactions,
    roundTrips: () =>
      statements - batched + 2 * transactions + (batcher ? batcher.stats().roundTrips - tripsBefore : 0)
  }
}
