/**
 * Activating a purchased dongle (PRODUCT.md journey C): it proves ownership by order number + the order's email
 * (online), or comes with its included months once (retail); either way onto a new account or the signed-in one,
 * with a line from the chosen area code. No answer says whether an email already has an account (issue 21): a
 * purchase on a new account gets its account with the email unconfirmed, and the email says the rest: a code to
 * confirm it, or, to the owner of an address another account has confirmed, what happened.
 */
import type { z } from 'zod'
import type { ActivationResult, activatePurchasedRequest } from '../../shared/api/devices'
import { type ServiceContext, inTransaction } from '../context'
import type { OrdersTable } from '../db/schema'
import { ServiceError, conflict, forbidden, invalid } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { checkNewPassword, createAccount } from '../identity/accounts'
import { claimEmail } from '../identity/emails'
import { createSession } from '../identity/sessions'
import { templates } from '../mail/templates'
import { DEFAULT_LANGUAGE, type LanguageCode } from '../../shared/i18n/languages'
import { applySync, syncLine } from '../provisioning/lines'
import { attests, requireGenuineDevice } from './attestation'
import { provenPurchase, shippedToShop, spendProof } from './proofs'
import {
  alreadyOwned,
  checkAcceptances,
  findDevice,
  grantCoverage,
  openLine,
  orderNaming,
  recordAcceptances,
  upsertDevice
} from './shared'

type ActivationRequest = z.infer<typeof activatePurchasedRequest>

/**
 * The web-shop order an online activation names: its number, its email, the dongle's model and the serial the
 * order names, if any, must all match. One answer for "no such order" and "not your email": the pair is the proof.
 */
async function matchingOrder(
  ctx: ServiceContext,
  req: ActivationRequest,
  purchase: Extract<ActivationRequest['purchase'], { channel: 'online' }>
): Promise<OrdersTable> {
  const order = await ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('number', '=', purchase.orderNumber.toUpperCase())
    .executeTakeFirst()
  if (
    !order ||
    order.email.toLowerCase() !== purchase.email ||
    order.model !== req.model ||
    (order.serial && order.serial !== req.serial)
  )
    throw invalid(
      'purchase',
      'we found no order with this number for this email and dongle',
      'order-mismatch'
    )
  return order
}

const orderClaimed = (): ServiceError =>
  conflict('order-claimed', 'this order was already used to activate another dongle')

/** What the owner of a confirmed address reads when a purchased dongle was activated on a new account with it. */
const purchaseOnTakenEmail = (serial: string) => (language: LanguageCode) =>
  templates(language).emailInUse('purchase', { serial })

export async function activatePurchased(
  ctx: ServiceContext,
  req: ActivationRequest,
  signedIn: string | null,
  ip: string
): Promise<ActivationResult> {
  await ctx.limiter.hit([LIMITS.trialPerDevice, `${req.serial} ${ip}`], [LIMITS.trialPerIp, ip])
  if (req.account.mode === 'existing' && !signedIn)
    throw new ServiceError('unauthenticated', 'sign in to add the dongle to your account', {
      reason: 'sign-in-required'
    })
  // The dongle itself first (issue 21); a proof of purchase support accepted for this person may stand in for it.
  const proof = await provenPurchase(
    ctx,
    req,
    req.account.mode === 'new' ? { email: req.account.email } : { accountId: signedIn as string }
  )
  if (!proof) await requireGenuineDevice(ctx, req, req.purchase.channel, ip)
  // The dongle's tries from every address count only past its proof: for a web-shop order that is the order with
  // its email (a model that cannot prove itself has nothing else), so strangers who read the serial off the box and
  // guess at orders cannot spend its owner's hour. Checked again, and claimed, inside the transaction.
  // An order another dongle already took proves nothing for this one (its holder could spend the hour with it).
  if (req.purchase.channel === 'online') {
    const order = await matchingOrder(ctx, req, req.purchase)
    if (order.claimed_device_id && order.claimed_device_id !== (await findDevice(ctx, req.serial))?.id)
      throw orderClaimed()
    // An order naming no dongle says someone bought one of this model, not which: for a model that cannot prove
    // itself it would take any unowned serial of the model (a stranger's, read off its box). Orders record their
    // serial since (ops/webshop.ts); one from before goes through support, who accept a proof for the serial.
    if (order.serial === null && !proof && !attests(ctx, req.model))
      throw forbidden(
        'order-names-no-serial',
        'this order does not name the dongle, and this dongle cannot prove itself: ask support'
      )
  }
  // What the request itself gets wrong is refused before the budget is counted, or a try refused for a stale terms
  // version or a weak password, with someone's order, could be repeated to spend the dongle's hour.
  checkAcceptances(ctx, req.acceptances)
  if (req.account.mode === 'new')
    checkNewPassword(
      req.account.password,
      [req.account.name, req.account.email.split('@')[0] ?? ''],
      'account.password'
    )
  await ctx.limiter.hit([LIMITS.bindingPerSerial, req.serial])
  const passwordHash = req.account.mode === 'new' ? await ctx.hasher.hash(req.account.password) : ''
  const { result, sync } = await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    const device = await upsertDevice(tx, req.serial, req.model)
    if (device.owner_account_id !== null) throw alreadyOwned(device.owner_account_id === signedIn)
    let coverage: { type: 'order' | 'retail'; id: string; months: number } | null = null
    if (req.purchase.channel === 'online') {
      const order = await matchingOrder(tx, req, req.purchase)
      if (order.claimed_device_id && order.claimed_device_id !== device.id) throw orderClaimed()
      // Guarded: two dongles activated with one order at once (no serial on it) claim it once.
      const claimed = await tx.db
        .updateTable('orders')
        .set({ claimed_device_id: device.id })
        .where('number', '=', order.number)
        .where((eb) => eb.or([eb('claimed_device_id', 'is', null), eb('claimed_device_id', '=', device.id)]))
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) throw orderClaimed()
      coverage = { type: 'order', id: order.number, months: order.included_months }
    } else if (
      device.included_service_used_at === null &&
      (!proof || (await shippedToShop(tx, req.serial))) &&
      (await orderNaming(tx, req.serial)) === undefined
    ) {
      // A shop's months, once per dongle; not for a dongle the web shop sold (its order carries its months, which
      // activating it with the order later would grant again under the order's own source).
      coverage = { type: 'retail', id: device.id, months: tx.config.retailIncludedMonths }
    }
    const accountId =
      req.account.mode === 'existing'
        ? (signedIn as string)
        : await createAccount(tx, {
            type: req.account.accountType,
            name: req.account.name,
            email: req.account.email,
            emailVerified: false, // until the code sent below comes back
            passwordHash,
            billingAddress: req.account.billingAddress,
            timeZone: req.account.timeZone,
            language: req.account.language ?? DEFAULT_LANGUAGE
          })
    if (req.account.mode === 'new')
      await claimEmail(tx, accountId, req.account.email, purchaseOnTakenEmail(req.serial))
    const took = await tx.db
      .updateTable('devices')
      .set({
        owner_account_id: accountId,
        purchase_channel: req.purchase.channel,
        order_number: req.purchase.channel === 'online' ? req.purchase.orderNumber.toUpperCase() : null,
        included_service_used_at: coverage ? now : device.included_service_used_at,
        updated_at: now
      })
      .where('id', '=', device.id)
      .where('owner_account_id', 'is', null)
      .executeTakeFirst()
    if (Number(took.numUpdatedRows) !== 1)
      throw conflict('device-owned', 'this dongle was just registered by someone else')
    if (proof) await spendProof(tx, proof.id, accountId, req)
    await recordAcceptances(
      tx,
      accountId,
      device.id,
      { terms: req.acceptances.termsVersion, e911: req.acceptances.e911DisclosureVersion },
      ip
    )
    const lineId = await openLine(tx, accountId, device.id, req.areaCode)
    if (coverage)
      await grantCoverage(tx, lineId, { type: coverage.type, id: coverage.id }, { months: coverage.months })
    const session =
      req.account.mode === 'new' ? await createSession(tx, accountId, req.client ?? null, ip) : null
    await tx.audit.record('device.activated', {
      accountId,
      ip,
      detail: {
        device: device.id,
        line: lineId,
        channel: req.purchase.channel,
        ...(proof ? { proof: proof.id } : {})
      }
    })
    return {
      sync: await syncLine(tx, lineId),
      result: {
        accountId,
        deviceId: device.id,
        lineId,
        session: session
          ? { token: session.token, sessionId: session.sessionId, expiresAt: session.expiresAt }
          : null
      }
    }
  })
  await applySync(ctx, [sync])
  return result
}
