/**
 * A service context whose database counts what goes to it: statements (every query Kysely sends, raw SQL and
 * savepoints included, and the writes SQLite's group commit runs) and transactions begun (each a BEGIN and a
 * COMMIT more). Statements plus two per transaction is the round trips a request costs on PostgreSQL. For the
 * billing benchmark's renewal cost.
 */
import type { KyselyPlugin } from 'kysely'
import { type ServiceContext, createContext } from '../../src/server/context'
import type { GroupCommit } from '../../src/server/db/group-commit'

export interface CountingContext {
  readonly ctx: ServiceContext
  readonly statements: () => number
  readonly transactions: () => number
  /** Round trips to the database on PostgreSQL: each statement, and a BEGIN and a COMMIT per transaction. */
  readonly roundTrips: () => number
}

export function countingContext(base: ServiceContext): CountingContext {
  let statements = 0
  let transactions = 0
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
  // SQLite's group commit (db/group-commit.ts) runs its writes on its own handle, past the plugin: counted as
  // they are handed to it, a unit of several statements as a transaction (of its own or shared with others').
  const group = base.batch
  const batch: GroupCommit | undefined = group && {
    run: (query) => {
      statements++
      return group.run(query)
    },
    transaction: (work) => {
      transactions++
      return group.transaction((trx) => work(trx.withPlugin(plugin)))
    },
    stats: () => group.stats()
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
    roundTrips: () => statements + 2 * transactions
  }
}
