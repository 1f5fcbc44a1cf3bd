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
import { routeServer } from '../serve-route'

export function lineRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['lines'], errors: [400, 401, 404, 409, 429] })
    serve('availableNumbers', async ({ areaCode }) => ({
      areaCode,
      numbers: await freeNumbers(ctx, areaCode)
    }))
    serve('lines', async (_input, req) => ({ lines: await listLines(ctx, authOf(req).accountId) }))
    serve('lineChanges', async ({ since }, req, reply) => {
      const auth = authOf(req)
      const gone = new AbortController()
      reply.raw.once('close', () => gone.abort())
      // Waiting is not work: the place goes to another request (admission.ts).
      req.leaveAdmission?.()
      const scope = { accountId: auth.accountId, lineId: auth.role === 'line' ? auth.lineId : null }
      return { version: await nextLinesVersion(ctx, scope, since, LINE_CHANGES_HOLD_S * 1000, gone.signal) }
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
