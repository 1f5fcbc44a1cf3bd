/**
 * The media domain: the bridge between the SIP line in main and the MediaEngine in the renderer, which owns
 * RTCPeerConnection and the audio devices. Main cannot call the renderer, so its requests travel as the
 * `media.request` event addressed to one engine, and the engine answers with `media.reply` (correlated by id).
 * The engine says it is there with `media.attach` and reports its state with `media.report`.
 */
import { z } from 'zod'
import { command, domain, event, noArgs } from './define'

const engineId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an engine id is 8-64 letters, digits, - or _')
const sdp = z.string().min(10).max(20_000)

export const MEDIA_OPS = [
  'getDescription',
  'setDescription',
  'rollback',
  'sendDtmf',
  'close',
  'conference'
] as const
export type MediaOp = (typeof MEDIA_OPS)[number]

export const mediaRequestSchema = z.object({
  engineId,
  requestId: z.number().int().nonnegative(),
  sdhId: z.string().max(64),
  op: z.enum(MEDIA_OPS),
  sdp: sdp.optional(),
  /** What survives the trip of sip.js's options: hold, and the ICE gathering bound. */
  hold: z.boolean().optional(),
  iceGatheringTimeoutMs: z.number().int().positive().max(60_000).optional(),
  tones: z
    .string()
    .regex(/^[0-9A-D*#,]{1,32}$/)
    .optional(),
  /** 'conference': the sessions (sdhIds) to mix with the phone, this one among them; empty to stop mixing. */
  peers: z.array(z.string().max(64)).max(3).optional()
})
export type MediaRequest = z.infer<typeof mediaRequestSchema>

export const SIGNALING_STATES = [
  'stable',
  'have-local-offer',
  'have-remote-offer',
  'have-local-pranswer',
  'have-remote-pranswer',
  'closed'
] as const

export const mediaReplySchema = z
  .object({
    engineId,
    requestId: z.number().int().nonnegative(),
    ok: z.boolean(),
    sdp: sdp.optional(),
    signalingState: z.enum(SIGNALING_STATES).optional(),
    /** Whether the engine can send RFC 4733 DTMF on this call now (mirrored for sip.js's synchronous check). */
    canInsertDtmf: z.boolean().optional(),
    error: z.string().max(500).optional()
  })
  .strict()
export type MediaReply = z.infer<typeof mediaReplySchema>

export const sessionReportSchema = z.object({
  sdhId: z.string().max(64),
  connectionState: z.enum(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']),
  iceConnectionState: z.string().max(20),
  direction: z.string().max(20).nullable(),
  codec: z.string().max(40).nullable(),
  packetsSent: z.number().int().nonnegative(),
  packetsReceived: z.number().int().nonnegative(),
  bytesSent: z.number().int().nonnegative(),
  bytesReceived: z.number().int().nonnegative(),
  packetsLost: z.number().int(),
  jitterMs: z.number().nonnegative().nullable(),
  roundTripMs: z.number().nonnegative().nullable()
})
export type SessionReport = z.infer<typeof sessionReportSchema>

const deviceLabel = z.string().max(200).nullable()

export const engineReportSchema = z
  .object({
    engineId,
    /** The devices the engine uses now (labels as the OS names them) and whether they are the dongle's. */
    input: deviceLabel,
    output: deviceLabel,
    ringer: deviceLabel,
    dongleAudio: z.boolean(),
    /** The tone playing on the phone's earpiece now. */
    tone: z.string().max(20).nullable(),
    sessions: z.array(sessionReportSchema).max(8)
  })
  .strict()
export type EngineReport = z.infer<typeof engineReportSchema>

export const mediaStatusSchema = z.object({
  /** The engine main sends media work to; null: calls get signalling-only media (no sound). */
  engineId: engineId.nullable(),
  report: engineReportSchema.nullable(),
  /** Requests sent to the engine and not answered yet (each is answered or fails within the bridge's timeout). */
  pending: z.number().int().nonnegative()
})
export type MediaStatus = z.infer<typeof mediaStatusSchema>

export const mediaDomain = domain({
  name: 'media',
  commands: {
    'media.attach': command({
      request: z.object({ engineId }).strict(),
      response: mediaStatusSchema,
      summary: 'A renderer’s MediaEngine offers itself; the newest one gets the calls’ media from now on.'
    }),
    'media.detach': command({
      request: z.object({ engineId }).strict(),
      response: mediaStatusSchema,
      summary: 'The engine is going away (window closing); calls in progress end cleanly.'
    }),
    'media.reply': command({
      request: mediaReplySchema,
      response: z.null(),
      summary: 'The engine’s answer to one media.request.'
    }),
    'media.report': command({
      request: engineReportSchema,
      response: z.null(),
      summary: 'The engine’s devices, tone and per-call connection state and RTP statistics.'
    }),
    'media.status': command({
      request: noArgs,
      response: mediaStatusSchema,
      summary: 'Which engine carries the media, and its last report.'
    })
  },
  events: {
    'media.request': event({
      payload: mediaRequestSchema,
      summary: 'Work for the engine named in it: describe, set a description, roll back, send DTMF, close.'
    })
  }
})
