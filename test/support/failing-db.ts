/**
 * A service context whose database fails every statement about one item, as a database would (a deadlock's
 * SQLSTATE, a message that must never be logged): how the job tests make one item of a batch fail while the rest
 * succeed (job-items.test.ts) and how the ops tests leave a call stuck (ops-settlements.test.ts).
 */
import type { ServiceContext } from '../../src/server/context'

/** `base`, except that every statement whose values include `id` throws a deadlock naming `tok_secret`. */
export function failingFor(base: ServiceContext, id: string): ServiceContext {
  const executor = base.db.getExecutor()
  const db = base.db.withPlugin({
    transformQuery: (args) => {
      if (executor.compileQuery(args.node, args.queryId).parameters.includes(id))
        throw Object.assign(new Error(`deadlock on ${id} value tok_secret`), {
          code: '40P01',
          severity: 'ERROR'
        })
      return args.node
    },
    transformResult: (args) => Promise.resolve(args.result)
  })
  return { ...base, db }
}
