/**
 * The web host's WebSocket protocol: the contract's calls and events as JSON frames. These schemas define it: the
 * web bridge (main) reads call frames with them, and the renderer reads server frames with ./wire-read.ts, plain
 * checks held equal to `serverFrameSchema` by a test, so no zod at all reaches the renderer's first load. Written
 * with zod/mini (functions instead of methods), the lighter form for main's bundle.
 */
import * as z from 'zod/mini'
import { ERROR_CODES } from './errors'

export { KEY_CHECK_PATH, WS_MAX_FRAME_BYTES, WS_PATH } from './wire-paths'

const id = z.int().check(z.nonnegative())

export const callFrameSchema = z.object({
  kind: z.literal('call'),
  id,
  channel: z.string().check(z.maxLength(200)),
  payload: z.optional(z.unknown())
})
export type CallFrame = z.infer<typeof callFrameSchema>

/** The codes and values the renderer words an error by; a value is a number or a short string. */
const params = z.record(
  z.string().check(z.maxLength(40)),
  z.union([z.number(), z.string().check(z.maxLength(200))])
)

const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.optional(
    z.readonly(
      z.array(
        z.object({
          path: z.string(),
          code: z.string().check(z.maxLength(64)),
          params: z.optional(params),
          message: z.string()
        })
      )
    )
  ),
  reason: z.optional(z.string().check(z.maxLength(64))),
  params: z.optional(params)
})

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorBodySchema })
])

export const serverFrameSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), id, result: envelopeSchema }),
  z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() }),
  /** A frame the server could not read at all (not JSON, not a call): no id to answer to. */
  z.object({ kind: z.literal('protocolError'), message: z.string() })
])
export type ServerFrame = z.infer<typeof serverFrameSchema>
