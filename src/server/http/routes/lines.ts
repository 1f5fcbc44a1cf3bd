/** /v1/lines and /v1/numbers: lines, numbers, E911 addresses and SIP credentials of the signed-in account. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { LINE_CHANGES_HOLD_S } from '../../../shared/api/line-changes'
import { nextLinesVersion } from '../../provisioning/line-version'
import type { ServiceContext } from '../../context'
import { registerE911, e911History as readE911History } from '../../numbers/e911'
import {
  changeNumber,
  getLine,
  setLineLabel,
  listLines,
  numberHistory as readNumberHistory,
  sipCredentials as readSip
} from '../../numbers/lines-service'
import { availableNumbers as freeNumbers } from '../../numbers/pool'
import { authOf } from '../auth-hook'
import { ServiceError } from '../errors'
import { routeServer } from '../serve-route'

/** How long a poll refused for want of room is asked to wait (the app waits at least this, then polls again). */
const BUSY_RETRY_S = 5

export function lineRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['lines'], errors: [400, 401, 404, 409, 429] })
    serve('availableNumbers', async ({ areaCode }) => ({
      areaCode,
      numbers: await freeNumbers(ctx, areaCode)
    }))
    serve('lines', async (_input, req) => ({ lines: await listLines(ctx, authOf(req).accountId) }))
    serve('lineChanges', { errors: [503] }, async ({ since }, req, reply) => {
      const auth = authOf(req)
      const gone = new AbortController()
      reply.raw.once('close', () => gone.abort())
      // A line user hears of their own line only; one without a line (none should be) hears of none.
      const lineId = auth.role === 'line' ? (auth.lineId ?? '') : null
      const who = { accountId: auth.accountId, lineId, sessionId: auth.sessionId, personId: auth.personId }
      // Its reads are work; once it only waits, its place goes to another request (admission.ts).
      const waiting = () => req.leaveAdmission?.()
      const version = await nextLinesVersion(
        ctx,
        who,
        since,
        LINE_CHANGES_HOLD_S * 1000,
        gone.signal,
        waiting
      )
      if (version === 'busy')
        throw new ServiceError(
          'unavailable',
          'too many line-change polls are held; try again after Retry-After',
          {
            reason: 'overloaded',
            retryAfterS: BUSY_RETRY_S
          }
        )
      return { version }
    })
    serve('line', ({ lineId }, req) => getLine(ctx, authOf(req).accountId, lineId))
    serve('setLineLabel', ({ lineId, label }, req) => setLineLabel(ctx, authOf(req).accountId, lineId, label))
    serve('setE911', async ({ lineId, address }, req) => {
      const { accountId } = authOf(req)
      await registerE911(ctx, accountId, lineId, address, req.ip)
      return getLine(ctx, accountId, lineId)
    })
    serve('e911History', ({ lineId }, req) => readE911History(ctx, authOf(req).accountId, lineId))
    serve('changeNumber', ({ lineId, ...request }, req) =>
      changeNumber(ctx, authOf(req).accountId, lineId, request, req.ip)
    )
    serve('numberHistory', async ({ lineId }, req) => ({
      history: await readNumberHistory(ctx, authOf(req).accountId, lineId)
    }))
    serve('sipCredentials', async ({ lineId }, req, reply) => {
      void reply.header('cache-control', 'no-store')
      return readSip(ctx, authOf(req).accountId, lineId, req.ip)
    })
  }
}
