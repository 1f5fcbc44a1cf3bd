/**
 * Second-hand dongles. The seed's way (log into the old owner's account, add your email) leaves the old owner
 * with access, cards and history; ours moves the device cleanly. Either the old owner releases it (with their
 * password), or the new owner asks and the old owner approves — signed in — with the single-use code sent to every
 * confirmed email of the old account for that transfer (7 days). Several people may ask for the same dongle (each
 * once at a time): one asking does not hold it against another, and the one approved declines the rest. The owner
 * is emailed 5 requests a day per dongle; the rest wait with no code sent, which the owner has emailed from the
 * app (so strangers who read the serial cannot spend the day before the real buyer asks). On
 * completion the old line closes (number to quarantine, SIP row and registrations gone, payment method detached),
 * the new owner gets a new line that must register a new E911 address before service, and the old owner is told.
 */
import type { z } from 'zod'
import type { requestTransferRequest } from '../../shared/api/devices'
import { type ServiceContext, inTransaction } from '../context'
import type { DeviceTransfersTable } from '../db/schema'
import { ServiceError, conflict, forbidden, notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { checkCurrentPassword } from '../identity/auth'
import { consumeToken, issueToken } from '../identity/one-time'
import { notifyAllEmails, preferredEmail } from '../mail/outbox'
import { templates } from '../mail/templates'
import { type SyncResult, applySync, closeLine, syncLine } from '../provisioning/lines'
import { newId } from '../secrets'
import { requireGenuineDevice } from './attestation'
import { transferReference, transferView, transfersWithNames } from './transfer-view'
import { alreadyOwned, checkAcceptances, findDevice, openLine, recordAcceptances } from './shared'

export const TRANSFER_TTL_MS = 7 * 24 * 60 * 60_000

async function closeDeviceLines(ctx: ServiceContext, deviceId: string): Promise<SyncResult[]> {
  const lines = await ctx.db
    .selectFrom('lines')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('status', '!=', 'closed')
    .execute()
  const results: SyncResult[] = []
  for (const { id } of lines) results.push(await closeLine(ctx, id))
  return results
}

/**
 * Releases an account's dongle, its lines closed. The password asked is the signed-in person's own (`personId`):
 * for a business's administrator, their sign-in's, not the owner's, which they must not be able to guess at (nor
 * spend the owner's budget of checks on).
 */
export async function releaseDevice(
  ctx: ServiceContext,
  who: { accountId: string; personId: string },
  deviceId: string,
  password: string,
  ip: string
): Promise<void> {
  const { accountId } = who
  await checkCurrentPassword(ctx, who.personId, password, 'password')
  const results = await inTransaction(ctx, async (tx) => {
    const device = await tx.db
      .selectFrom('devices')
      .selectAll()
      .where('id', '=', deviceId)
      .where('owner_account_id', '=', accountId)
      .executeTakeFirst()
    if (!device) throw notFound('device-not-found', 'the dongle')
    const results = await closeDeviceLines(tx, deviceId)
    await tx.db
      .updateTable('devices')
      .set({ owner_account_id: null, updated_at: tx.clock.now().toISOString() })
      .where('id', '=', deviceId)
      .execute()
    await tx.db
      .updateTable('device_transfers')
      .set({ status: 'declined', decided_at: tx.clock.now().toISOString() })
      .where('device_id', '=', deviceId)
      .where('status', '=', 'pending')
      .execute()
    await notifyAllEmails(
      tx.db,
      tx.clock,
      accountId,
      (l) => templates(l).deviceLeft(device.serial, 'released'),
      'device-left'
    )
    await tx.audit.record('device.released', { accountId, ip, detail: { device: deviceId } })
    return results
  })
  await applySync(ctx, results)
}

export async function requestTransfer(
  ctx: ServiceContext,
  accountId: string,
  req: z.infer<typeof requestTransferRequest>,
  ip: string
) {
  await ctx.limiter.hit([LIMITS.transferPerAccount, accountId])
  await requireGenuineDevice(ctx, req, 'transfer', ip) // the dongle in the new owner's hands (issue 21)
  checkAcceptances(ctx, req.acceptances)
  return inTransaction(ctx, async (tx) => {
    // One request for a dongle at a time (PostgreSQL; SQLite writes one transaction at a time): two at once from
    // one account, a double click, would both pass the check for a waiting one below, and each spend an email.
    const device = await lockedDevice(tx, req.serial)
    if (!device || device.model !== req.model || device.owner_account_id === null)
      throw conflict('not-owned', 'this dongle is not registered to anyone: activate it as your own instead')
    if (device.owner_account_id === accountId) throw alreadyOwned(true)
    // Only this account's own request blocks another: anyone who has read a serial off a dongle could otherwise
    // hold it for 7 days against its real buyer (a model that cannot attest proves nothing about who holds it).
    // The owner approves the one they mean, by the code emailed for it; approving one declines the others.
    const open = await tx.db
      .selectFrom('device_transfers')
      .select('id')
      .where('device_id', '=', device.id)
      .where('to_account_id', '=', accountId)
      .where('status', '=', 'pending')
      .where('expires_at', '>', tx.clock.now().toISOString()) // an expired request may be asked again
      .executeTakeFirst()
    if (open)
      throw conflict('transfer-pending', 'your transfer of this dongle is already waiting for its owner')
    const now = tx.clock.now()
    const transfer = {
      id: newId('trf'),
      device_id: device.id,
      from_account_id: device.owner_account_id,
      to_account_id: accountId,
      area_code: req.areaCode,
      terms_version: req.acceptances.termsVersion,
      e911_version: req.acceptances.e911DisclosureVersion,
      status: 'pending' as const,
      expires_at: new Date(now.getTime() + TRANSFER_TTL_MS).toISOString(),
      created_at: now.toISOString(),
      decided_at: null,
      code_sent_at: null
    }
    await tx.db.insertInto('device_transfers').values(transfer).execute()
    // Each emailed request writes to every confirmed address of the owner, and several accounts may ask: so many
    // emailed a day per dongle, whoever asks. The rest are kept all the same, with no code sent: refused, they let
    // anyone who read the serial spend the day before its real buyer asked. The owner sees them in the app and has
    // the code emailed there (sendTransferCode). Counted in this transaction: a request refused above spends none.
    // An owner with no confirmed address is written to by nobody: that spends none of the dongle's emails.
    const emailed =
      (await hasConfirmedEmail(tx, device.owner_account_id)) &&
      (await tx.limiter.within(tx.db, LIMITS.transferPerDevice, device.id)) &&
      (await emailTransferCode(tx, transfer, device.serial))
    await tx.audit.record('transfer.requested', {
      accountId,
      ip,
      detail: { transfer: transfer.id, device: device.id, emailed }
    })
    return transferView(
      { ...transfer, code_sent_at: emailed ? now.toISOString() : null },
      device.serial,
      null,
      accountId,
      now.toISOString()
    )
  })
}

/**
 * Issues a transfer's approval code (retiring one issued before) and emails it to every confirmed address of the
 * dongle's owner, with the request's reference and the name its asker gave. Whether it was emailed: an owner with
 * no confirmed address gets nothing (and the code issued is never seen), and reads the request in the app.
 */
async function emailTransferCode(
  tx: ServiceContext,
  transfer: Pick<DeviceTransfersTable, 'id' | 'from_account_id' | 'to_account_id'>,
  serial: string
): Promise<boolean> {
  const token = await issueToken(
    tx,
    'transfer_approve',
    transfer.id,
    transfer.from_account_id,
    TRANSFER_TTL_MS
  )
  const reference = transferReference(transfer.id)
  const asker = await tx.db
    .selectFrom('accounts')
    .select('name')
    .where('id', '=', transfer.to_account_id)
    .executeTakeFirstOrThrow()
  const sent = await notifyAllEmails(
    tx.db,
    tx.clock,
    transfer.from_account_id,
    (l) => templates(l).transferRequest(serial, token, reference, asker.name),
    'transfer-request'
  )
  if (sent === 0) return false
  await tx.db
    .updateTable('device_transfers')
    .set({ code_sent_at: tx.clock.now().toISOString() })
    .where('id', '=', transfer.id)
    .execute()
  return true
}

/**
 * The owner, signed in, has a waiting request's approval code emailed to them: a request past the dongle's day's
 * emails was kept with none sent, or the email was lost. A new code retires the one sent before. Budgeted per
 * owner (their own inbox), never per dongle, so nobody else can spend it.
 */
export async function sendTransferCode(
  ctx: ServiceContext,
  accountId: string,
  transferId: string,
  ip: string
) {
  await ctx.limiter.hit([LIMITS.transferCodePerOwner, accountId])
  return inTransaction(ctx, async (tx) => {
    await lockTransfer(tx, transferId)
    const row = await transfersWithNames(tx)
      .where('device_transfers.id', '=', transferId)
      .where('device_transfers.from_account_id', '=', accountId)
      .executeTakeFirst()
    if (!row) throw notFound('transfer-not-found', 'the transfer')
    const now = tx.clock.now().toISOString()
    // A request that slipped in while the dongle changed hands (an approval, support's move) is over too.
    checkWaiting(row.owner_account_id === accountId ? row : { ...row, status: 'declined' }, now)
    if (!(await emailTransferCode(tx, row, row.serial)))
      throw notFound('no-confirmed-email', 'a confirmed email to send the code to')
    await tx.audit.record('transfer.code-sent', { accountId, ip, detail: { transfer: row.id } })
    return transferView({ ...row, code_sent_at: now }, row.serial, row.asker_name, accountId, now)
  })
}

/**
 * On PostgreSQL, the transfer's row locked for the rest of the transaction: two codes sent at once would otherwise
 * each retire only the code before them and leave both working, and a code sent while the transfer is approved
 * would go out for a closed one. With `device`, its dongle's row first, as releasing and support's move lock them
 * (the dongle, then its transfers), so that none of them can wait on another in a circle. SQLite runs one write
 * transaction at a time.
 */
async function lockTransfer(
  tx: ServiceContext,
  transferId: string,
  o: { device?: boolean } = {}
): Promise<void> {
  if (tx.dialect !== 'postgres') return
  if (o.device) {
    const of = tx.db.selectFrom('device_transfers').select('device_id').where('id', '=', transferId)
    await tx.db.selectFrom('devices').select('id').where('id', 'in', of).forUpdate().execute()
  }
  await tx.db.selectFrom('device_transfers').select('id').where('id', '=', transferId).forUpdate().execute()
}

/** The dongle by serial, its row locked on PostgreSQL for the rest of the transaction. */
async function lockedDevice(tx: ServiceContext, serial: string) {
  if (tx.dialect !== 'postgres') return findDevice(tx, serial)
  return tx.db.selectFrom('devices').selectAll().where('serial', '=', serial).forUpdate().executeTakeFirst()
}

const hasConfirmedEmail = async (tx: ServiceContext, accountId: string): Promise<boolean> =>
  (await preferredEmail(tx.db, accountId)) !== null

/** A transfer still waiting for its owner, or why not: closed (approved, declined) or expired, with its day. */
function checkWaiting(transfer: Pick<DeviceTransfersTable, 'status' | 'expires_at'>, now: string): void {
  if (transfer.status !== 'pending')
    throw new ServiceError('gone', 'this transfer is no longer waiting for approval', {
      reason: 'transfer-closed'
    })
  if (transfer.expires_at <= now)
    throw new ServiceError('gone', 'this transfer request expired; the new owner can ask again', {
      reason: 'transfer-expired',
      params: { date: transfer.expires_at.slice(0, 10) }
    })
}

/**
 * The old owner, signed in, approves one of their transfers with the code emailed for it. Everything is checked
 * before the code is used: the transfer is theirs, still waiting and not expired, and the code is the one issued
 * for it — a code for another dongle or another account's transfer approves nothing and is not used up.
 */
export async function approveTransfer(
  ctx: ServiceContext,
  accountId: string,
  transferId: string,
  token: string,
  ip: string
) {
  await ctx.limiter.hit([LIMITS.codePerIp, ip], [LIMITS.codeGlobal, 'all'])
  const { transfer, results } = await inTransaction(ctx, async (tx) => {
    await lockTransfer(tx, transferId, { device: true })
    const transfer = await tx.db
      .selectFrom('device_transfers')
      .selectAll()
      .where('id', '=', transferId)
      .where('from_account_id', '=', accountId)
      .executeTakeFirst()
    if (!transfer) throw notFound('transfer-not-found', 'the transfer')
    const now = tx.clock.now().toISOString()
    checkWaiting(transfer, now)
    const device = await tx.db
      .selectFrom('devices')
      .selectAll()
      .where('id', '=', transfer.device_id)
      .executeTakeFirstOrThrow()
    const serial = device.serial
    await consumeToken(tx, 'transfer_approve', token, { subject: transfer.id }).catch((e: unknown) => {
      if (!(e instanceof ServiceError) || e.reason !== 'token-invalid') throw e
      const message = 'this is not the code emailed for this transfer, or it was already used'
      throw new ServiceError('invalid-input', message, {
        reason: 'transfer-code-wrong',
        params: { serial },
        issues: [{ path: 'token', code: 'transfer-code-wrong', params: { serial }, message }]
      })
    })
    // Taken only from the owner it still has (the one check of that): of two approvals at once (two people
    // asked), one moves it and the other finds it gone (PostgreSQL re-reads the row it waited for; SQLite runs
    // one transaction at a time).
    const claimed = await tx.db
      .updateTable('devices')
      .set({ owner_account_id: transfer.to_account_id, purchase_channel: 'transfer', updated_at: now })
      .where('id', '=', device.id)
      .where('owner_account_id', '=', transfer.from_account_id)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1)
      throw forbidden('owner-changed', 'the dongle changed hands since this transfer was asked for')
    const results = await closeDeviceLines(tx, device.id)
    const lineId = await openLine(tx, transfer.to_account_id, device.id, transfer.area_code)
    await recordAcceptances(
      tx,
      transfer.to_account_id,
      device.id,
      { terms: transfer.terms_version, e911: transfer.e911_version },
      ip
    )
    results.push(await syncLine(tx, lineId))
    await tx.db
      .updateTable('device_transfers')
      .set({ status: 'completed', decided_at: now })
      .where('id', '=', transfer.id)
      .where('status', '=', 'pending')
      .execute()
    // Anyone else's request still waiting for the same dongle is answered: it went to the one the owner approved
    // (one that expired stays expired).
    await tx.db
      .updateTable('device_transfers')
      .set({ status: 'declined', decided_at: now })
      .where('device_id', '=', device.id)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .execute()
    await notifyAllEmails(
      tx.db,
      tx.clock,
      transfer.from_account_id,
      (l) => templates(l).deviceLeft(device.serial, 'approved'),
      'device-left'
    )
    await notifyAllEmails(
      tx.db,
      tx.clock,
      transfer.to_account_id,
      (l) => templates(l).deviceTransferred(device.serial),
      'device-transferred'
    )
    await tx.audit.record('transfer.approved', {
      accountId: transfer.from_account_id,
      ip,
      detail: { transfer: transfer.id, to: transfer.to_account_id }
    })
    return { transfer: { ...transfer, status: 'completed' as const, lineId }, results }
  })
  await applySync(ctx, results)
  return { id: transfer.id, status: transfer.status, lineId: transfer.lineId }
}
