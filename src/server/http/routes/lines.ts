/** /v1/lines and /v1/numbers: lines, numbers, E911 addresses and SIP credentials of the signed-in account. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  availableNumbers,
  availableNumbersQuery,
  changeNumberRequest,
  e911History,
  lineInfo,
  lineList,
  numberHistory,
  setE911Request,
  setLineLabelRequest,
  sipCredentials
} from '../../../shared/api/devices'
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
import { authOf, requireAuth } from '../auth-hook'
import { errorResponses } from './responses'

const errors = errorResponses(400, 401, 404, 409, 429)
const params = z.object({ lineId: z.string().max(64) })

export function lineRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', requireAuth(ctx))
    app.get(
      '/v1/numbers/available',
      {
        schema: {
          tags: ['lines'],
          querystring: availableNumbersQuery,
          response: { 200: availableNumbers, ...errors }
        }
      },
      async (req) => ({
        areaCode: req.query.areaCode,
        numbers: await freeNumbers(ctx, req.query.areaCode)
      })
    )
    app.get(
      '/v1/lines',
      { schema: { tags: ['lines'], response: { 200: lineList, ...errors } } },
      async (req) => ({ lines: await listLines(ctx, authOf(req).accountId) })
    )
    app.get(
      '/v1/lines/:lineId',
      { schema: { tags: ['lines'], params, response: { 200: lineInfo, ...errors } } },
      async (req) => getLine(ctx, authOf(req).accountId, req.params.lineId)
    )
    app.put(
      '/v1/lines/:lineId/label',
      {
        schema: { tags: ['lines'], params, body: setLineLabelRequest, response: { 200: lineInfo, ...errors } }
      },
      async (req) => setLineLabel(ctx, authOf(req).accountId, req.params.lineId, req.body.label)
    )
    app.put(
      '/v1/lines/:lineId/e911',
      { schema: { tags: ['lines'], params, body: setE911Request, response: { 200: lineInfo, ...errors } } },
      async (req) => {
        const { accountId } = authOf(req)
        await registerE911(ctx, accountId, req.params.lineId, req.body.address, req.ip)
        return getLine(ctx, accountId, req.params.lineId)
      }
    )
    app.get(
      '/v1/lines/:lineId/e911',
      { schema: { tags: ['lines'], params, response: { 200: e911History, ...errors } } },
      async (req) => readE911History(ctx, authOf(req).accountId, req.params.lineId)
    )
    app.post(
      '/v1/lines/:lineId/number',
      {
        schema: { tags: ['lines'], params, body: changeNumberRequest, response: { 200: lineInfo, ...errors } }
      },
      async (req) => changeNumber(ctx, authOf(req).accountId, req.params.lineId, req.body, req.ip)
    )
    app.get(
      '/v1/lines/:lineId/number-history',
      { schema: { tags: ['lines'], params, response: { 200: numberHistory, ...errors } } },
      async (req) => ({
        history: await readNumberHistory(ctx, authOf(req).accountId, req.params.lineId)
      })
    )
    app.get(
      '/v1/lines/:lineId/sip',
      { schema: { tags: ['lines'], params, response: { 200: sipCredentials, ...errors } } },
      async (req, reply) => {
        void reply.header('cache-control', 'no-store')
        return readSip(ctx, authOf(req).accountId, req.params.lineId, req.ip)
      }
    )
  }
}
