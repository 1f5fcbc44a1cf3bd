/**
 * Operator identities (issue 20): created by an admin (or by `dialtone-ops bootstrap` for the first admin) in the
 * `pending` state with a one-time enrolment token; the operator then chooses a password, receives a TOTP secret
 * (shown as an otpauth:// URI) and ten recovery codes, and becomes `active` by proving the authenticator works.
 * Sign-in takes password plus a TOTP or recovery code in one step and shares the subscribers' sign-in throttle
 * (src/server/identity/signin-throttle.ts) under an `op:` identifier. Every failure answers the same
 * wrong-credentials; the audit log keeps the real cause. Sessions are short: 15 minutes idle, 8 hours at most.
 */
import type { z } from 'zod'
import { type Role, isRole } from '../../shared/ops/permissions'
import type { operatorView } from '../../shared/ops/routes'
import { type ServiceContext, inTransaction } from '../context'
import type { OperatorsTable } from '../db/schema-ops'
import { ServiceError, conflict, invalid, notFound } from '../http/errors'
import { weakPasswordReason } from '../identity/passwords'
import { LIMITS } from '../http/rate-limit'
import { claimSignIn, clearAttempts, issueDeviceToken } from '../identity/signin-throttle'
import { newId, newToken, sha256 } from '../secrets'
import type { OpsActor } from './actor'
import { recordOps } from './audit-log'
import { acceptedStep, isRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryHash } from './totp'

export const OPS_SESSION_IDLE_MS = 15 * 60_000
export const OPS_SESSION_MAX_MS = 8 * 60 * 60_000
export const ENROLMENT_MS = 24 * 60 * 60_000
const TOUCH_EVERY_MS = 30_000

export type OperatorView = z.input<typeof operatorView>

export const operatorToView = (o: OperatorsTable): OperatorView => ({
  id: o.id,
  email: o.email,
  name: o.name,
  role: o.role,
  partnerId: o.partner_id,
  status: o.status,
  createdAt: o.created_at
})

/** A new pending operator and its enrolment token (the token is shown once; only its hash is kept). */
export async function createOperator(
  ctx: ServiceContext,
  spec: { email: string; name: string; role: Role; partnerId?: string | undefined },
  createdBy: string | null
): Promise<{ operator: OperatorView; enrolmentToken: string; enrolmentExpiresAt: string }> {
  if (!isRole(spec.role)) throw invalid('role', 'not a role', 'invalid-input')
  if (spec.role === 'retail-partner' && !spec.partnerId)
    throw invalid('partnerId', 'a retail-partner operator belongs to one partner', 'partner-not-found')
  if (spec.role !== 'retail-partner' && spec.partnerId)
    throw invalid('partnerId', 'only retail-partner operators belong to a partner', 'invalid-input')
  if (spec.partnerId) {
    const partner = await ctx.db
      .selectFrom('partners')
      .select(['id', 'kind'])
      .where('id', '=', spec.partnerId)
      .executeTakeFirst()
    if (!partner || partner.kind !== 'retail')
      throw invalid('partnerId', 'no retail partner has this id', 'partner-not-found')
  }
  const taken = await ctx.db
    .selectFrom('operators')
    .select('id')
    .where('email', '=', spec.email)
    .executeTakeFirst()
  if (taken) throw conflict('operator-exists', 'an operator with this email exists')
  const now = ctx.clock.now()
  const row: OperatorsTable = {
    id: newId('opr'),
    email: spec.email,
    name: spec.name,
    role: spec.role,
    partner_id: spec.partnerId ?? null,
    status: 'pending',
    password_hash: null,
    totp_secret_enc: null,
    totp_last_step: null,
    created_by: createdBy,
    created_at: now.toISOString()
  }
  const enrolmentToken = newToken('dte')
  const enrolmentExpiresAt = new Date(now.getTime() + ENROLMENT_MS).toISOString()
  await inTransaction(ctx, async (tx) => {
    await tx.db.insertInto('operators').values(row).execute()
    await tx.db
      .insertInto('operator_enrolments')
      .values({
        token_hash: sha256(enrolmentToken),
        operator_id: row.id,
        expires_at: enrolmentExpiresAt,
        consumed_at: null,
        created_at: row.created_at
      })
      .execute()
  })
  return { operator: operatorToView(row), enrolmentToken, enrolmentExpiresAt }
}

/**
 * The refusal of an enrolment token no operator has, or one past its expiry: a stranger's request, like one without
 * credentials, so the ops routes keep no row of it in the append-only audit (http/serve-ops.ts; anyone can send
 * made-up tokens, and the enrolment budgets in rate-limit.ts bound how many). Answered as every other refusal of a
 * token is, so the answer does not tell whether a token was ever given.
 */
export class StrangersEnrolment extends ServiceError {}

const ENROLMENT_REFUSED = 'this enrolment link is unknown, used or expired; ask an admin for a new one'

const enrolmentRefused = (): ServiceError =>
  new ServiceError('gone', ENROLMENT_REFUSED, { reason: 'enrolment-invalid' })

/** The operator whose enrolment this token opens now (unspent, in its 24 hours), for its own budget; else null. */
export async function openEnrolment(ctx: ServiceContext, token: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('operator_enrolments')
    .select('operator_id')
    .where('token_hash', '=', sha256(token))
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', ctx.clock.now().toISOString())
    .executeTakeFirst()
  return row?.operator_id ?? null
}

/**
 * The pending enrolment a token opens. A token an admin gave and still in its 24 hours that no longer works (used, or
 * its operator disabled) is refused as an unknown one is, but audited: someone has a real token.
 */
async function pendingEnrolment(ctx: ServiceContext, token: string) {
  const row = await ctx.db
    .selectFrom('operator_enrolments')
    .innerJoin('operators', 'operators.id', 'operator_enrolments.operator_id')
    .selectAll('operators')
    .select(['operator_enrolments.expires_at as enrol_expires', 'operator_enrolments.consumed_at'])
    .where('operator_enrolments.token_hash', '=', sha256(token))
    .executeTakeFirst()
  if (!row || row.enrol_expires <= ctx.clock.now().toISOString())
    throw new StrangersEnrolment('gone', ENROLMENT_REFUSED, { reason: 'enrolment-invalid' })
  if (row.consumed_at !== null || row.status !== 'pending') throw enrolmentRefused()
  return row
}

/** Step 1: password chosen; a fresh TOTP secret and recovery codes (shown now, never again). */
export async function startEnrolment(
  ctx: ServiceContext,
  input: { token: string; password: string }
): Promise<{ otpauthUri: string; secret: string; recoveryCodes: string[]; operatorId: string }> {
  const op = await pendingEnrolment(ctx, input.token)
  const weak = weakPasswordReason(input.password, [op.email.split('@')[0] ?? '', op.name])
  if (weak) throw invalid('password', weak.message, 'weak-password')
  const { secret, uri } = newTotpSecret(op.email)
  const codes = newRecoveryCodes()
  const hash = await ctx.hasher.hash(input.password)
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('operators')
      .set({ password_hash: hash, totp_secret_enc: tx.box.seal(secret), totp_last_step: null })
      .where('id', '=', op.id)
      .where('status', '=', 'pending')
      .execute()
    await tx.db.deleteFrom('operator_recovery_codes').where('operator_id', '=', op.id).execute()
    await tx.db
      .insertInto('operator_recovery_codes')
      .values(
        codes.map((c) => ({
          id: newId('orc'),
          operator_id: op.id,
          code_hash: recoveryHash(tx.config.serviceKey, c),
          used_at: null
        }))
      )
      .execute()
  })
  return { otpauthUri: uri, secret, recoveryCodes: codes, operatorId: op.id }
}

/** Step 2: the first code from the authenticator; the operator becomes active and the token is spent. */
export async function confirmEnrolment(
  ctx: ServiceContext,
  input: { token: string; code: string }
): Promise<OperatorView> {
  const op = await pendingEnrolment(ctx, input.token)
  if (!op.totp_secret_enc || !op.password_hash)
    throw invalid('token', 'choose a password first (dialtone-ops enrol)', 'enrolment-invalid')
  const step = acceptedStep(ctx.box.open(op.totp_secret_enc), input.code, ctx.clock.now(), null)
  if (step === null)
    throw invalid('code', 'this code is not the current one of the authenticator', 'code-wrong')
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    const spent = await tx.db
      .updateTable('operator_enrolments')
      .set({ consumed_at: now })
      .where('token_hash', '=', sha256(input.token))
      .where('consumed_at', 'is', null)
      .executeTakeFirst()
    if (Number(spent.numUpdatedRows) !== 1) throw enrolmentRefused()
    await tx.db
      .updateTable('operators')
      .set({ status: 'active', totp_last_step: step })
      .where('id', '=', op.id)
      .execute()
    const row = await tx.db
      .selectFrom('operators')
      .selectAll()
      .where('id', '=', op.id)
      .executeTakeFirstOrThrow()
    return operatorToView(row)
  })
}

const WRONG = 'the email, password or code is wrong (an authenticator code is good for 30 seconds, once)'

/** Password + TOTP (or a recovery code) -> a short session. */
export async function signInOperator(
  ctx: ServiceContext,
  input: { email: string; password: string; code: string; deviceToken?: string | undefined },
  ip: string
): Promise<{ token: string; expiresAt: string; operator: OperatorView; deviceToken: string }> {
  const identifier = `op:${input.email}`
  // A CLI that signed in as this operator before counts only its own attempts (signin-throttle.ts): someone
  // guessing the operator's email from many addresses slows themselves, not the operator.
  const { claims, device } = await claimSignIn(ctx, identifier, ip, input.deviceToken, {
    perIp: LIMITS.opsSignInPerIp,
    overall: LIMITS.opsSignInGlobal
  })
  const op = await ctx.db
    .selectFrom('operators')
    .selectAll()
    .where('email', '=', input.email)
    .executeTakeFirst()
  const fail = async (why: string, actor?: OperatorsTable): Promise<never> => {
    await recordOps(ctx.db, ctx.clock, {
      actor: actor
        ? {
            kind: 'operator',
            id: actor.id,
            label: actor.email,
            name: actor.name,
            role: actor.role,
            partnerId: null,
            sessionId: null,
            expiresAt: null
          }
        : { kind: 'system', id: null, label: input.email, role: null },
      action: 'auth-login',
      target: input.email,
      outcome: 'refused',
      error: why,
      ip
    })
    throw new ServiceError('unauthenticated', WRONG, { reason: 'wrong-credentials' })
  }
  if (!op || op.status !== 'active' || !op.password_hash || !op.totp_secret_enc) {
    await ctx.hasher.verifyAgainstNothing(input.password)
    return fail(op ? `operator ${op.status}` : 'unknown email', op)
  }
  if (!(await ctx.hasher.verify(input.password, op.password_hash))) return fail('wrong password', op)
  const code = input.code.trim().toLowerCase()
  if (isRecoveryCode(code)) {
    const used = await ctx.db
      .updateTable('operator_recovery_codes')
      .set({ used_at: ctx.clock.now().toISOString() })
      .where('operator_id', '=', op.id)
      .where('code_hash', '=', recoveryHash(ctx.config.serviceKey, code))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(used.numUpdatedRows) !== 1) return fail('recovery code unknown or already used', op)
  } else {
    const step = acceptedStep(ctx.box.open(op.totp_secret_enc), code, ctx.clock.now(), op.totp_last_step)
    if (step === null) return fail('authenticator code wrong, expired or already used', op)
    // Compare-and-swap: of two sign-ins with the same code only one moves the step forward.
    let q = ctx.db.updateTable('operators').set({ totp_last_step: step }).where('id', '=', op.id)
    q =
      op.totp_last_step === null
        ? q.where('totp_last_step', 'is', null)
        : q.where('totp_last_step', '=', op.totp_last_step)
    const swapped = await q.executeTakeFirst()
    if (Number(swapped.numUpdatedRows) !== 1) return fail('authenticator code already used', op)
  }
  await clearAttempts(ctx, claims)
  const token = newToken('dto')
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + OPS_SESSION_IDLE_MS).toISOString()
  await ctx.db
    .insertInto('operator_sessions')
    .values({
      id: newId('ops'),
      operator_id: op.id,
      token_hash: sha256(token),
      ip,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null
    })
    .execute()
  return {
    token,
    expiresAt,
    operator: operatorToView(op),
    deviceToken: device !== null && input.deviceToken ? input.deviceToken : issueDeviceToken(ctx, identifier)
  }
}

/** The operator behind a live session token, sliding the idle expiry (never past the 8-hour cap). */
export async function authenticateOperator(ctx: ServiceContext, token: string): Promise<OpsActor | null> {
  if (!/^dto_[A-Za-z0-9_-]{43}$/.test(token)) return null
  const now = ctx.clock.now()
  const row = await ctx.db
    .selectFrom('operator_sessions')
    .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
    .select([
      'operator_sessions.id as session_id',
      'operator_sessions.created_at',
      'operator_sessions.last_seen_at',
      'operator_sessions.expires_at',
      'operator_sessions.revoked_at',
      'operators.id',
      'operators.email',
      'operators.name',
      'operators.role',
      'operators.partner_id',
      'operators.status'
    ])
    .where('operator_sessions.token_hash', '=', sha256(token))
    .executeTakeFirst()
  if (!row || row.revoked_at !== null || row.expires_at <= now.toISOString() || row.status !== 'active')
    return null
  let expiresAt = row.expires_at
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
    const cap = Date.parse(row.created_at) + OPS_SESSION_MAX_MS
    expiresAt = new Date(Math.min(cap, now.getTime() + OPS_SESSION_IDLE_MS)).toISOString()
    await ctx.db
      .updateTable('operator_sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: expiresAt })
      .where('id', '=', row.session_id)
      .execute()
  }
  return {
    kind: 'operator',
    id: row.id,
    label: row.email,
    name: row.name,
    role: row.role,
    partnerId: row.partner_id,
    sessionId: row.session_id,
    expiresAt
  }
}

export async function signOutOperator(ctx: ServiceContext, sessionId: string): Promise<void> {
  await ctx.db
    .updateTable('operator_sessions')
    .set({ revoked_at: ctx.clock.now().toISOString() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute()
}

export async function listOperators(ctx: ServiceContext): Promise<OperatorView[]> {
  const rows = await ctx.db
    .selectFrom('operators')
    .selectAll()
    .orderBy('created_at')
    .orderBy('email')
    .execute()
  return rows.map(operatorToView)
}

export async function findOperator(ctx: ServiceContext, id: string): Promise<OperatorView> {
  const row = await ctx.db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('operator-not-found', 'the operator')
  return operatorToView(row)
}

/**
 * The first admin (`dialtone-ops bootstrap`, run against the database): refused once any admin exists, so it
 * cannot be used to add admins later. Answers the enrolment token, which the new admin spends with `enrol`.
 */
export async function bootstrapAdmin(
  ctx: ServiceContext,
  spec: { email: string; name: string }
): Promise<{ operator: OperatorView; enrolmentToken: string; enrolmentExpiresAt: string }> {
  const admin = await ctx.db
    .selectFrom('operators')
    .select('id')
    .where('role', '=', 'admin')
    .where('status', '!=', 'disabled')
    .executeTakeFirst()
  if (admin) throw conflict('bootstrap-done', 'an admin operator exists already; admins create operators')
  const made = await createOperator(ctx, { ...spec, role: 'admin' }, null)
  await recordOps(ctx.db, ctx.clock, {
    actor: { kind: 'system', id: null, label: 'bootstrap', role: null },
    action: 'bootstrap',
    target: made.operator.id,
    outcome: 'ok',
    after: made.operator
  })
  return made
}
