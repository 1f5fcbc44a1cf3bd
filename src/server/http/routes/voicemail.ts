/**
 * /v1/lines/:lineId/voicemail: the owner's messages, their audio, heard and delete, and the line's greeting (issue
 * 23). Every route first finds the line among the signed-in account's own (ownLine: another account's line is
 * not-found), and every message query is bound to the account too.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { ServiceContext } from '../../context'
import { ownLine } from '../../numbers/own-line'
import { checkGreeting } from '../../voicemail/greeting-upload'
import { VOICEMAIL_LIMITS } from '../../voicemail/limits'
import {
  deleteGreeting,
  deleteMessage,
  greeting,
  greetingInfo,
  isFull,
  listMessages,
  markHeard,
  messageAudio,
  purgeOld,
  saveGreeting,
  usage
} from '../../voicemail/store'
import { authOf } from '../auth-hook'
import { notFound } from '../errors'
import { routeServer } from '../serve-route'

const tags = ['voicemail']

export function voicemailRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags, errors: [400, 401, 404] })
    const owned = async (accountId: string, lineId: string, messageId: string): Promise<void> => {
      const m = await messageAudio(ctx, accountId, messageId)
      if (!m || m.lineId !== lineId) throw notFound('voicemail-message-not-found', 'the message')
    }
    serve('voicemailBox', async ({ lineId }, req) => {
      const { accountId } = authOf(req)
      await ownLine(ctx, accountId, lineId)
      await purgeOld(ctx, lineId)
      const messages = await listMessages(ctx, { lineId, accountId })
      return {
        messages: messages.map((m) => ({
          id: m.id,
          caller: m.caller,
          callerName: m.callerName,
          reason: m.reason as 'unconditional' | 'busy' | 'no-answer' | 'unavailable',
          receivedAt: m.receivedAt,
          durationMs: m.durationMs,
          heard: m.heard
        })),
        greeting: await greetingInfo(ctx, lineId),
        limits: {
          maxMessages: VOICEMAIL_LIMITS.maxMessages,
          maxMessageS: VOICEMAIL_LIMITS.maxMessageS,
          maxAgeDays: VOICEMAIL_LIMITS.maxAgeDays,
          maxGreetingS: VOICEMAIL_LIMITS.maxGreetingS
        },
        full: isFull(await usage(ctx, lineId))
      }
    })
    serve('voicemailMessageAudio', async ({ lineId, messageId }, req) => {
      const { accountId } = authOf(req)
      await ownLine(ctx, accountId, lineId)
      const m = await messageAudio(ctx, accountId, messageId)
      if (!m || m.lineId !== lineId) throw notFound('voicemail-message-not-found', 'the message')
      return { mimeType: 'audio/wav' as const, audio: m.audio.toString('base64') }
    })
    serve('voicemailMarkHeard', async ({ lineId, messageId }, req) => {
      const { accountId } = authOf(req)
      await ownLine(ctx, accountId, lineId)
      await owned(accountId, lineId, messageId)
      await markHeard(ctx, accountId, messageId)
      return { ok: true as const }
    })
    serve('voicemailDeleteMessage', async ({ lineId, messageId }, req) => {
      const { accountId } = authOf(req)
      await ownLine(ctx, accountId, lineId)
      await owned(accountId, lineId, messageId)
      await deleteMessage(ctx, accountId, messageId)
      return { ok: true as const }
    })
    serve('voicemailGreetingAudio', async ({ lineId }, req) => {
      const { accountId } = authOf(req)
      await ownLine(ctx, accountId, lineId)
      const audio = await greeting(ctx, lineId)
      if (!audio) throw notFound('greeting-not-found', 'the greeting')
      return { mimeType: 'audio/wav' as const, audio: audio.toString('base64') }
    })
    serve('voicemailSetGreeting', async ({ lineId, audio }, req) => {
      const { accountId } = authOf(req)
      await ownLine(ctx, accountId, lineId)
      const g = await checkGreeting(Buffer.from(audio, 'base64'))
      await saveGreeting(ctx, { lineId, accountId }, g)
      const info = await greetingInfo(ctx, lineId)
      if (!info) throw notFound('greeting-not-found', 'the greeting')
      return info
    })
    serve('voicemailDeleteGreeting', async ({ lineId }, req) => {
      const { accountId } = authOf(req)
      await ownLine(ctx, accountId, lineId)
      await deleteGreeting(ctx, lineId)
      return { ok: true as const }
    })
  }
}
