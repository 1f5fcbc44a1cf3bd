/**
 * The budgets of an operator's enrolment (`enrol` and `enrol-confirm`, public; rate-limit.ts): every attempt per
 * address, then the overall budget, except for a token that opens an enrolment an admin gave (unspent, in its 24
 * hours), which that enrolment's own budget bounds instead. Made-up tokens sent from many addresses (a /57 is 128
 * /64s, each with its own address budget) kept the overall budget full, and the real operator's token was then
 * refused from anywhere for as long as the flood went on (attacker review 37, L3). The token is looked up only
 * past the address's budget, by one probe of a unique index; the body is not validated yet, so it is read
 * defensively.
 */
import type { FastifyRequest } from 'fastify'
import type { ServiceContext } from '../../context'
import { LIMITS } from '../../http/rate-limit'
import { openEnrolment } from '../operators'

/** The `token` of a body not validated yet, when it looks like one (the routes' schema: 10 to 100 characters). */
function tokenIn(body: unknown): string | null {
  const token = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined
  return typeof token === 'string' && token.length >= 10 && token.length <= 100 ? token : null
}

export async function spendEnrolBudget(ctx: ServiceContext, request: FastifyRequest): Promise<void> {
  await ctx.limiter.hit([LIMITS.opsEnrolPerIp, request.ip])
  const token = tokenIn(request.body)
  const enrolment = token ? await openEnrolment(ctx, token) : null
  await ctx.limiter.hit(enrolment ? [LIMITS.opsEnrolPerEnrolment, enrolment] : [LIMITS.opsEnrolGlobal, 'all'])
}
