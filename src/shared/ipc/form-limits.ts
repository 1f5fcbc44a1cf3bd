/**
 * Every string length limit in the commands' request schemas, as a plain table: command -> field path -> the
 * longest string the schema accepts there (read by maxLengthOf, so the same numbers main and the service check).
 * The renderer's build inlines this table in place of src/renderer/src/limits.ts (scripts/vite-form-limits.ts),
 * so a form gets its maxLength without the contract's schemas, and zod, in the renderer's bundle.
 */
import { z } from 'zod'
import { maxLengthOf, unwrap } from '../api/limits'
import { COMMAND_NAMES, commandDef, type CommandName } from './contract'

export type FormLimitTable = Partial<Record<CommandName, Record<string, number>>>

/** How deep a request's fields nest at most (card inside payment inside a request is three). */
const MAX_DEPTH = 8

/** The field paths under `schema`, through the same optionals, unions and pipes maxLengthOf walks. */
function fieldPaths(schema: z.ZodType, prefix: string, depth: number): string[] {
  if (depth > MAX_DEPTH) return []
  const s = unwrap(schema)
  const options = s instanceof z.ZodUnion ? (s.options as z.ZodType[]).map(unwrap) : [s]
  return options
    .filter((o): o is z.ZodObject => o instanceof z.ZodObject)
    .flatMap((o) =>
      Object.entries(o.shape as Record<string, z.ZodType>).flatMap(([key, child]) => {
        const path = prefix ? `${prefix}.${key}` : key
        return [path, ...fieldPaths(child, path, depth + 1)]
      })
    )
}

export function formLimitTable(): FormLimitTable {
  const table: FormLimitTable = {}
  for (const name of COMMAND_NAMES) {
    const request = commandDef(name).request
    const limits: Record<string, number> = {}
    for (const path of new Set(['', ...fieldPaths(request, '', 0)])) {
      const max = maxLengthOf(request, path)
      if (max !== undefined) limits[path] = max
    }
    if (Object.keys(limits).length > 0) table[name] = limits
  }
  return table
}
