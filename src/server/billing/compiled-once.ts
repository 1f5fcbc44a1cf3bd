/**
 * A query of fixed shape built with Kysely once and its SQL text kept (issue 24 goal 8): building and compiling
 * the common renewal's joined read cost more JavaScript per renewal than SQLite spent running it. The query is
 * still built by Kysely (one source, its types checked); it is built with a placeholder for each value, compiled
 * once per dialect, and then run with the real values put where the placeholders were. Only for queries whose
 * shape never depends on the values (no conditional parts): every value must be one of the placeholders' slots.
 */
import { type Compilable, CompiledQuery, type QueryResult } from 'kysely'
import type { ServiceContext } from '../context'
import { runGrouped } from '../db/group-commit'

type Slots<K extends string> = { readonly [k in K]: string }

const cache = new Map<
  string,
  { sql: string; names: ReadonlySet<string>; slots: readonly (string | { value: unknown })[] }
>()

/**
 * Runs the query `build` makes (given a placeholder per value's name) with `values`; compiled the first time only.
 * `batch`: a short write of the hot path, committed with concurrent requests' where it can (db/group-commit.ts).
 */
export async function runCompiledOnce<K extends string, R>(
  ctx: Pick<ServiceContext, 'db' | 'dialect' | 'batch'>,
  name: string,
  values: { readonly [k in K]: unknown },
  build: (slot: Slots<K>) => Compilable<R>,
  options: { readonly batch?: boolean } = {}
): Promise<QueryResult<R>> {
  const key = `${ctx.dialect}:${name}`
  let kept = cache.get(key)
  if (!kept) {
    const marks = new Map<string, K>()
    const slot = Object.fromEntries(
      Object.keys(values).map((k) => {
        const mark = `\u0000slot:${name}:${k}`
        marks.set(mark, k as K)
        return [k, mark]
      })
    ) as Slots<K>
    const compiled = build(slot).compile()
    kept = {
      sql: compiled.sql,
      names: new Set(Object.keys(values)),
      // A parameter that is a placeholder is filled per run; any other is a constant of the query's shape.
      slots: compiled.parameters.map((p) =>
        typeof p === 'string' && marks.has(p) ? (marks.get(p) as K) : { value: p }
      )
    }
    cache.set(key, kept)
  }
  // The names are fixed by the first run: a value under a new name would have no place in the kept SQL.
  for (const k of Object.keys(values))
    if (!kept.names.has(k)) throw new Error(`compiled query ${name}: no place for the value ${k}`)
  const params = kept.slots.map((s) => (typeof s === 'string' ? values[s as K] : s.value))
  const query = CompiledQuery.raw(kept.sql, params) as CompiledQuery<R>
  return options.batch ? runGrouped(ctx, query) : ctx.db.executeQuery(query)
}
