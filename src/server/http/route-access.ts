/**
 * Enforces the business roles (issue 25 part 2) on every route, in one place, before the handler runs: serve-route
 * calls `scopeRequest` with the route's name and its validated input, and `scopeAnswer` on what the handler
 * returns. The table of who may call what is src/shared/api/access.ts. For a member:
 * - a 'self' route keeps the session on the person's own sign-in;
 * - any other route is refused (403 'role-refused') unless their role is listed, then acts on the business;
 * - a 'line' route is refused to a line user for any line but theirs (403 'not-your-line'), before the line is
 *   even looked up, so the answer is the same for another business's line, another line of this business and a
 *   line that does not exist: nothing leaks;
 * - a 'lines' route's answer keeps only the line user's line.
 * The account's own sign-in (role 'owner') passes unchanged. Every refusal is audited.
 */
import type { FastifyRequest } from 'fastify'
import { accessOf } from '../../shared/api/access'
import type { RouteName } from '../../shared/api/routes'
import type { ServiceContext } from '../context'
import { forbidden } from './errors'

const lineIdOf = (input: unknown): string | undefined =>
  typeof input === 'object' && input !== null && 'lineId' in input && typeof input.lineId === 'string'
    ? input.lineId
    : undefined

async function refuse(
  ctx: ServiceContext,
  request: FastifyRequest,
  name: RouteName,
  reason: 'role-refused' | 'not-your-line'
): Promise<never> {
  const auth = request.auth
  await ctx.audit.record('business.refused', {
    accountId: auth?.businessId ?? null,
    ip: request.ip,
    detail: { route: name, person: auth?.personId ?? null, role: auth?.role ?? null, reason }
  })
  throw reason === 'role-refused'
    ? forbidden('role-refused', `your role on this business account (${auth?.role}) does not allow ${name}`)
    : forbidden('not-your-line', 'a line user may use only their own line')
}

/** Checks the signed-in member may call this route with this input, and points the request at the right account. */
export async function scopeRequest(
  ctx: ServiceContext,
  name: RouteName,
  request: FastifyRequest,
  input: unknown
): Promise<void> {
  const auth = request.auth
  if (!auth || auth.role === 'owner' || auth.businessId === null) return
  const access = accessOf(name)
  if (access.kind === 'public' || access.kind === 'self') return
  if (!access.roles.includes(auth.role)) await refuse(ctx, request, name, 'role-refused')
  if (access.kind === 'line' && auth.role === 'line' && lineIdOf(input) !== auth.lineId)
    await refuse(ctx, request, name, 'not-your-line')
  request.auth = { ...auth, accountId: auth.businessId }
}

/** What a line user may see of an account-wide list: their line, and the calls refused on it. */
export async function scopeAnswer(
  ctx: ServiceContext,
  name: RouteName,
  request: FastifyRequest,
  answer: unknown
): Promise<unknown> {
  const auth = request.auth
  if (!auth || auth.role !== 'line' || accessOf(name).kind !== 'lines') return answer
  if (name === 'lines') {
    const a = answer as { lines: { id: string }[] }
    return { ...a, lines: a.lines.filter((l) => l.id === auth.lineId) }
  }
  if (name === 'refusedCalls') {
    const own = await ctx.db
      .selectFrom('lines')
      .select('phone_number')
      .where('id', '=', auth.lineId ?? '')
      .executeTakeFirst()
    const a = answer as { calls: { line: string }[] }
    return {
      ...a,
      calls: a.calls.filter((c) => typeof own?.phone_number === 'string' && c.line === own.phone_number)
    }
  }
  // A 'lines' route without its filter here shows a line user nothing rather than every line.
  throw forbidden('role-refused', `no line filter for ${name}`)
}
