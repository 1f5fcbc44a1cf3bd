/**
 * Voicemail over the account API (issue 23): a line's messages (caller, time, length, heard), one message's audio,
 * marking heard, deleting, and the line's own greeting. Audio travels as base64 WAV inside JSON (the route table is
 * JSON end to end); a greeting is sent as 8 kHz mono 16-bit WAV, which the app makes from the microphone, so 30 s
 * is under 500 KB.
 */
import { z } from 'zod'
import { id } from './common'

/** Limits the app shows and checks before sending; the server's are the same (src/server/voicemail/limits.ts). */
export const GREETING_MAX_S = 30
/** base64 of at most ~600 KB of WAV. */
export const GREETING_MAX_BASE64 = 800_000

export const voicemailMessage = z.object({
  id,
  /** E.164 with '+', digits as they came, or 'anonymous' (caller ID withheld). */
  caller: z.string(),
  callerName: z.string().nullable(),
  reason: z.enum(['unconditional', 'busy', 'no-answer', 'unavailable']),
  receivedAt: z.string(),
  durationMs: z.number().int().nonnegative(),
  heard: z.boolean()
})
export type VoicemailMessage = z.infer<typeof voicemailMessage>

export const greetingInfo = z.object({ durationMs: z.number().int().positive(), updatedAt: z.string() })

export const voicemailBox = z.object({
  messages: z.array(voicemailMessage),
  /** The line's own greeting, or null when callers hear the standard one. */
  greeting: greetingInfo.nullable(),
  limits: z.object({
    maxMessages: z.number().int(),
    maxMessageS: z.number().int(),
    maxAgeDays: z.number().int(),
    maxGreetingS: z.number().int()
  }),
  full: z.boolean()
})
export type VoicemailBoxView = z.infer<typeof voicemailBox>

export const voicemailAudio = z.object({
  mimeType: z.literal('audio/wav'),
  /** The WAV file, base64. */
  audio: z.string()
})

export const messageParam = z.object({ lineId: id, messageId: id }).strict()

export const setGreetingRequest = z
  .object({
    lineId: id,
    audio: z
      .string()
      .min(100)
      .max(GREETING_MAX_BASE64)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/)
  })
  .strict()
