/**
 * The length limits of the shared schemas, read from the schemas themselves, so a form's input carries the
 * same maxLength as the service checks (never a number typed twice). Walks objects, optionals, nullables,
 * defaults, unions and pipes down to the string at `path`.
 */
import { z } from 'zod'
import { FORMATS } from './formats'

/** The schema under optionals, nullables, defaults and pipes: what a field's value is checked by. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
      s = s.unwrap() as z.ZodType
    else if (s instanceof z.ZodPipe) s = (s.in instanceof z.ZodTransform ? s.out : s.in) as z.ZodType
    else return s
  }
  return s
}

/** The longest string `schema` accepts at `path` ('' for the schema itself), if it says. */
export function maxLengthOf(schema: z.ZodType, path = ''): number | undefined {
  let s = unwrap(schema)
  for (const key of path.split('.').filter(Boolean)) {
    // A union (a saved card or a new one; a new account or the signed-in one): the first option with the key.
    const options = s instanceof z.ZodUnion ? (s.options as z.ZodType[]).map(unwrap) : [s]
    const next = options
      .filter((o): o is z.ZodObject => o instanceof z.ZodObject)
      .map((o) => (o.shape as Record<string, z.ZodType | undefined>)[key])
      .find((n) => n !== undefined)
    if (!next) return undefined
    s = unwrap(next)
  }
  if (s instanceof z.ZodString) {
    if (s.maxLength !== null) return s.maxLength
    const format = Object.values(FORMATS).find((f) =>
      s._zod.def.checks?.some(
        (c) => (c._zod.def as { pattern?: RegExp }).pattern?.source === f.pattern.source
      )
    )
    return format?.maxLength
  }
  return undefined
}
