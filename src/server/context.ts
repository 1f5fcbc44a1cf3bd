/**
 * What every part of the service is built from: the database, the clock, configuration and the shared
 * security services. createContext is the composition root; tests build one with a ManualClock.
 */
import { type Kysely, sql } from 'kysely'
import { type Audit, createAudit } from './audit'
import { type PaymentGateway, sandboxGateway } from './billing/gateway'
import type { Clock } from './clock'
import type { ServiceConfig } from './config'
import type { Dialect } from './db/migrations'
import type { Database } from './db/schema'
import type { GroupCommit } from './db/group-commit'
import { RateLimiter } from './http/rate-limit'
import { PasswordHasher } from './identity/passwords'
import { type KamailioRpc, createKamailioRpc } from './provisioning/kamailio-rpc'
import { type LineChanges, localLineChanges } from './provisioning/line-changes'
import { SecretBox } from './secrets'

export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export interface ServiceContext {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /**
   * SQLite: the hot path's short writes committed with those of concurrent requests (db/group-commit.ts); absent
   * on PostgreSQL (measured there without a gain: docs/renewal-cost.md) and in contexts built without one.
   */
  readonly batch?: GroupCommit
  readonly clock: Clock
  readonly config: ServiceConfig
  readonly hasher: PasswordHasher
  readonly box: SecretBox
  readonly limiter: RateLimiter
  readonly audit: Audit
  readonly log: Logger
  readonly kamailio: KamailioRpc
  /** The card processor (the sandbox by default); called outside transactions, like the network call it is. */
  readonly gateway: PaymentGateway
  /** Running apps' long polls for their lines, and the changes that wake them (provisioning/line-changes.ts). */
  readonly lineChanges: LineChanges
  /**
   * Crash-test hook: when DIALTONE_FAULT names this point, the process kills itself there (SIGKILL, no
   * cleanup), as a power cut would. A no-op otherwise.
   */
  readonly fault: (point: string) => void
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined }

export function createContext(parts: {
  db: Kysely<Database>
  dialect: Dialect
  batch?: GroupCommit
  clock: Clock
  config: ServiceConfig
  log?: Logger
  kamailio?: KamailioRpc
  gateway?: PaymentGateway
  lineChanges?: LineChanges
}): ServiceContext {
  const log = parts.log ?? silentLogger
  const faultPoint = parts.config.faultPoint
  return {
    ...parts,
    gateway: parts.gateway ?? sandboxGateway(parts),
    lineChanges: parts.lineChanges ?? localLineChanges(),
    fault: (point) => {
      if (faultPoint !== null && point === faultPoint) process.kill(process.pid, 'SIGKILL')
    },
    kamailio: parts.kamailio ?? createKamailioRpc(parts.config.sip.rpcUrl, (m) => log.warn(m)),
    hasher: new PasswordHasher(parts.config.passwordCost),
    box: new SecretBox(parts.config.serviceKey),
    limiter: new RateLimiter(parts.db, parts.clock),
    audit: createAudit(parts.db, parts.clock),
    log
  }
}

/**
 * Run `fn` in one transaction; the context it gets writes through that transaction. Called with a context that
 * already writes through one (an ops action runs whole inside its own, with its audit row: serve-ops.ts), `fn`
 * joins it inside a savepoint: its writes commit with the action's, and when `fn` throws only its own writes are
 * undone, so a caller that catches the error (a unique-key race answered as "already done") goes on in a
 * transaction PostgreSQL has not aborted — exactly as it would after a transaction of its own.
 */
let savepoints = 0
export async function inTransaction<T>(
  ctx: ServiceContext,
  fn: (tx: ServiceContext) => Promise<T>
): Promise<T> {
  if (!ctx.db.isTransaction)
    return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx, audit: createAudit(trx, ctx.clock) }))
  const name = sql.raw(`nested_${++savepoints}`)
  await sql`savepoint ${name}`.execute(ctx.db)
  try {
    const result = await fn(ctx)
    await sql`release savepoint ${name}`.execute(ctx.db)
    return result
  } catch (e) {
    await sql`rollback to savepoint ${name}`.execute(ctx.db)
    await sql`release savepoint ${name}`.execute(ctx.db)
    throw e
  }
}
