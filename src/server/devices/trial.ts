/**
 * A dongle's trial (PRODUCT.md journey C). Start Trial: the person's details and password go into a trial request
 * and a 6-digit code goes to their email; the code lives 10 minutes, allows 5 wrong tries, and works once (a
 * conditional UPDATE decides, so two simultaneous activations cannot both win); "send a new code" replaces it. A
 * device gets at most one trial, ever. The account is new, or the existing one whose password was given. No answer
 * says whether an email already has an account (issue 21): only the email, read by the address's owner, says
 * which case happened. A trial's email is confirmed by the trial code itself.
 */
import type { z } from 'zod'
import type { ActivationResult, startTrialRequest } from '../../shared/api/devices'
import { type ServiceContext, inTransaction } from '../context'
import { ServiceError, conflict, invalid } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { checkNewPassword, createAccount, findAccountByIdentifier } from '../identity/accounts'
import { CODE_TTL_MS, checkCode } from '../identity/one-time'
import { createSession } from '../identity/sessions'
import { accountLanguage, enqueue } from '../mail/outbox'
import { templates } from '../mail/templates'
import { DEFAULT_LANGUAGE } from '../../shared/i18n/languages'
import { wordsLanguage } from '../words/format'
import { areaExhausted, availableNumbers } from '../numbers/pool'
import { applySync, syncLine } from '../provisioning/lines'
import { newCode, newId, sha256 } from '../secrets'
import { requireGenuineDevice } from './attestation'
import {
  checkAcceptances,
  findDevice,
  grantCoverage,
  openLine,
  recordAcceptances,
  upsertDevice
} from './shared'

export const TRIAL_MESSAGE = 'We sent an activation code to the email you gave. It is valid for 10 minutes.'

export async function startTrial(ctx: ServiceContext, req: z.infer<typeof startTrialRequest>, ip: string) {
  await ctx.limiter.hit([LIMITS.trialPerDevice, `${req.serial} ${ip}`], [LIMITS.trialPerIp, ip])
  await requireGenuineDevice(ctx, req, 'trial', ip) // the dongle itself first (issue 21)
  await ctx.limiter.hit([LIMITS.bindingPerSerial, req.serial])
  checkAcceptances(ctx, req.acceptances)
  const device = await findDevice(ctx, req.serial)
  if (device && device.model !== req.model)
    throw invalid('model', 'this serial number belongs to another model of dongle', 'model-mismatch')
  if (device && (device.trial_used_at !== null || device.owner_account_id !== null))
    throw conflict(
      'trial-used',
      'this dongle has already had its trial; renew its service or activate it as purchased'
    )
  // A number must be waiting in the area code before anything is written or sent: no code by email for a trial
  // that could not get its line.
  if ((await availableNumbers(ctx, req.areaCode, 1)).length === 0) throw areaExhausted(req.areaCode)
  // An email that already has an account joins that account, but only with that account's password. Either way
  // the answer is the same; only the email (read by the address's owner) says which case happened. So the
  // password rules come first, for every request, before anything is looked up: refused only for a new email,
  // a weak password told whether an email had an account; skipped for the account's own password, they told
  // whether a guess was it (a guess given as the name is "personal", so weak, unless it is the password). Then the
  // same work either way (one scrypt: the account's password verified, or the new one hashed).
  checkNewPassword(req.password, [req.name, req.email.split('@')[0] ?? ''])
  const existing = await findAccountByIdentifier(ctx, req.email)
  const joinAccount =
    existing && (await ctx.hasher.verify(req.password, existing.password_hash)) ? existing.id : null
  const passwordHash = existing ? '' : await ctx.hasher.hash(req.password)
  const code = newCode()
  const now = ctx.clock.now()
  const trialId = newId('tri')
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString()
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .insertInto('trial_requests')
      .values({
        id: trialId,
        serial: req.serial,
        model: req.model,
        email: req.email,
        name: req.name,
        account_type: req.accountType,
        billing_address: JSON.stringify(req.billingAddress),
        password_hash: passwordHash,
        timezone: req.timeZone ?? null,
        language: req.language ?? DEFAULT_LANGUAGE,
        account_id: joinAccount,
        area_code: req.areaCode,
        terms_version: req.acceptances.termsVersion,
        e911_version: req.acceptances.e911DisclosureVersion,
        code_hash: sha256(`trial:${trialId}:${code}`),
        expires_at: expiresAt,
        attempts: 0,
        consumed_at: null,
        ip,
        created_at: now.toISOString()
      })
      .execute()
    // The owner of an existing account reads their account's language; a new person the app's.
    const words = templates(existing ? wordsLanguage(existing.language) : (req.language ?? DEFAULT_LANGUAGE))
    const message =
      existing && !joinAccount
        ? words.trialOnExistingAccount(req.serial)
        : words.trialCode(req.name, code, req.serial)
    await enqueue(tx.db, tx.clock, {
      ...message,
      channel: 'email',
      to: req.email,
      purpose: 'trial-code',
      accountId: joinAccount
    })
    await tx.audit.record('trial.requested', {
      accountId: joinAccount,
      ip,
      detail: { trial: trialId, serial: req.serial }
    })
  })
  return { trialId, codeExpiresAt: expiresAt, message: TRIAL_MESSAGE }
}

/** A trial request that can still take a code: refused as unknown, or as used once its code was accepted. */
async function openTrial(ctx: ServiceContext, trialId: string) {
  const trial = await ctx.db
    .selectFrom('trial_requests')
    .selectAll()
    .where('id', '=', trialId)
    .executeTakeFirst()
  if (!trial)
    throw new ServiceError('gone', 'this trial request is unknown or expired; start the trial again', {
      reason: 'trial-unknown'
    })
  if (trial.consumed_at) throw new ServiceError('gone', 'this code was already used', { reason: 'code-used' })
  return trial
}

/**
 * "Send a new code": a fresh code for the same trial request, with the tries counted from zero and ten more
 * minutes, so a code locked by wrong guesses is not the end of the trial. The old code stops working (its hash is
 * replaced). A request that never had a code (an existing account's email with another password) gets its notice
 * again, with the same answer, so the answer still says nothing about the account.
 */
export async function resendTrialCode(ctx: ServiceContext, trialId: string, ip: string) {
  await ctx.limiter.hit([LIMITS.trialResendPerTrial, trialId], [LIMITS.trialPerIp, ip])
  const trial = await openTrial(ctx, trialId)
  const code = newCode()
  const expiresAt = new Date(ctx.clock.now().getTime() + CODE_TTL_MS).toISOString()
  const issued = trial.password_hash !== '' || trial.account_id !== null
  await inTransaction(ctx, async (tx) => {
    if (issued)
      await tx.db
        .updateTable('trial_requests')
        .set({ code_hash: sha256(`trial:${trialId}:${code}`), attempts: 0, expires_at: expiresAt })
        .where('id', '=', trialId)
        .where('consumed_at', 'is', null)
        .execute()
    const words = templates(
      trial.account_id ? await accountLanguage(tx.db, trial.account_id) : wordsLanguage(trial.language)
    )
    const message = issued
      ? words.trialCode(trial.name, code, trial.serial)
      : words.trialOnExistingAccount(trial.serial)
    await enqueue(tx.db, tx.clock, {
      ...message,
      channel: 'email',
      to: trial.email,
      purpose: 'trial-code',
      accountId: trial.account_id
    })
    await tx.audit.record('trial.code-resent', {
      accountId: trial.account_id,
      ip,
      detail: { trial: trialId }
    })
  })
  return { trialId, codeExpiresAt: expiresAt, message: TRIAL_MESSAGE }
}

export async function activateTrial(
  ctx: ServiceContext,
  trialId: string,
  code: string,
  ip: string,
  client: string | null = null
): Promise<ActivationResult> {
  await ctx.limiter.hit([LIMITS.codePerIp, ip], [LIMITS.codeGlobal, 'all'])
  const trial = await openTrial(ctx, trialId)
  if (!trial.password_hash && !trial.account_id)
    throw new ServiceError('gone', 'no code was issued for this request', { reason: 'no-code' })
  await checkCode(
    ctx,
    { expiresAt: trial.expires_at, hash: trial.code_hash },
    {
      presentedHash: sha256(`trial:${trialId}:${code}`),
      attempts: { table: 'trial_requests', id: trialId },
      failed: async () => {
        await ctx.audit.record('trial.code-failed', { ip, detail: { trial: trialId } })
      },
      retry: 'start the trial again'
    }
  )
  const { result, sync } = await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    // The request's copies of the password's hash and the billing address go with its use: the account made (or
    // joined) now holds its own, and a used request is kept only as the record of the trial (who, which dongle).
    const claimed = await tx.db
      .updateTable('trial_requests')
      .set({ consumed_at: now, password_hash: '', billing_address: '' })
      .where('id', '=', trialId)
      .where('consumed_at', 'is', null)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1)
      throw new ServiceError('gone', 'this code was already used', { reason: 'code-used' })
    const device = await upsertDevice(tx, trial.serial, trial.model)
    // The once-per-device rule, enforced by the row itself: only an unowned device without a trial is taken.
    const took = await tx.db
      .updateTable('devices')
      .set({ trial_used_at: now, updated_at: now })
      .where('id', '=', device.id)
      .where('trial_used_at', 'is', null)
      .where('owner_account_id', 'is', null)
      .executeTakeFirst()
    if (Number(took.numUpdatedRows) !== 1)
      throw conflict('trial-used', 'this dongle has already had its trial')
    const accountId =
      trial.account_id ??
      (await createAccount(tx, {
        type: trial.account_type,
        name: trial.name,
        email: trial.email,
        emailVerified: true, // the code came to this address
        passwordHash: trial.password_hash,
        billingAddress: JSON.parse(trial.billing_address),
        timeZone: trial.timezone,
        language: wordsLanguage(trial.language)
      }))
    await tx.db
      .updateTable('devices')
      .set({ owner_account_id: accountId, purchase_channel: 'trial', updated_at: now })
      .where('id', '=', device.id)
      .execute()
    await recordAcceptances(
      tx,
      accountId,
      device.id,
      { terms: trial.terms_version, e911: trial.e911_version },
      ip
    )
    const lineId = await openLine(tx, accountId, device.id, trial.area_code)
    await grantCoverage(tx, lineId, { type: 'trial', id: trialId }, { days: tx.config.trialDays })
    const session = await createSession(tx, accountId, client, ip)
    await tx.audit.record('trial.activated', { accountId, ip, detail: { device: device.id, line: lineId } })
    const sync = await syncLine(tx, lineId)
    return {
      sync,
      result: {
        accountId,
        deviceId: device.id,
        lineId,
        session: { token: session.token, sessionId: session.sessionId, expiresAt: session.expiresAt }
      }
    }
  })
  await applySync(ctx, [sync])
  return result
}
