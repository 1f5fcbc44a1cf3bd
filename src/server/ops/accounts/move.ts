/**
 * Moving a dongle between accounts by an operator (issue 20), with the invariants of the owner-driven transfer
 * (src/server/devices/transfer.ts): the old owner's lines on it close (number to quarantine, SIP row and
 * registrations gone, payment method detached), the device changes owner, the new owner gets a new line with a new
 * number that must register its own 911 address before service, any waiting transfer request is declined, both
 * owners are emailed, and the move is a completed transfer, so the registry's history shows it as "transferred".
 */
import type { ServiceContext } from '../../context'
import { inTransaction } from '../../context'
import { conflict, invalid, notFound } from '../../http/errors'
import { notifyAllEmails } from '../../mail/outbox'
import { templates } from '../../mail/templates'
import { type SyncResult, applySync, closeLine, syncLine } from '../../provisioning/lines'
import { findDevice, openLine } from '../../devices/shared'
import { newId } from '../../secrets'

/** The versions the new owner last accepted, recorded with the move (an operator cannot accept for them). */
async function acceptedVersions(ctx: ServiceContext, accountId: string) {
  const latest = async (kind: 'terms' | 'e911') =>
    (
      await ctx.db
        .selectFrom('acknowledgements')
        .select('version')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .orderBy('at', 'desc')
        .executeTakeFirst()
    )?.version ?? 'not-accepted'
  return { terms: await latest('terms'), e911: await latest('e911') }
}

export async function moveDevice(
  ctx: ServiceContext,
  req: { serial: string; toAccountId: string; areaCode?: string | undefined },
  operatorId: string
) {
  const { answer, results } = await inTransaction(ctx, async (tx) => {
    const device = await findDevice(tx, req.serial)
    if (!device) throw notFound('serial-unknown', `a dongle with the serial ${req.serial} on any account`)
    const from = device.owner_account_id
    if (from === null)
      throw conflict(
        'device-unowned',
        `the dongle ${req.serial} is on no account: it is activated, not moved`
      )
    if (from === req.toAccountId)
      throw conflict('same-account', `the dongle ${req.serial} is already on the account ${from}`)
    const to = await tx.db
      .selectFrom('accounts')
      .select(['id', 'status'])
      .where('id', '=', req.toAccountId)
      .executeTakeFirst()
    if (!to) throw notFound('account-not-found', `the account ${req.toAccountId}`)
    const open = await tx.db
      .selectFrom('lines')
      .select(['id', 'phone_number'])
      .where('device_id', '=', device.id)
      .where('status', '!=', 'closed')
      .execute()
    // The new line's number comes from the same area unless the operator names another.
    const areaCode = req.areaCode ?? open.find((l) => l.phone_number)?.phone_number?.slice(2, 5)
    if (!areaCode)
      throw invalid(
        'areaCode',
        'the dongle has no number to take the area code from: give --area-code',
        'invalid-input'
      )
    const now = tx.clock.now().toISOString()
    // The owner changes only from the owner read above: of two moves at once, the second finds it changed (on
    // PostgreSQL it waits for the first's row lock) and stops here, before touching a line.
    const claimed = await tx.db
      .updateTable('devices')
      .set({ owner_account_id: to.id, purchase_channel: 'transfer', updated_at: now })
      .where('id', '=', device.id)
      .where('owner_account_id', '=', from)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1)
      throw conflict('owner-changed', `the dongle ${req.serial} changed hands meanwhile; look it up again`)
    const results: SyncResult[] = []
    for (const l of open) results.push(await closeLine(tx, l.id))
    await tx.db
      .updateTable('device_transfers')
      .set({ status: 'declined', decided_at: now })
      .where('device_id', '=', device.id)
      .where('status', '=', 'pending')
      .execute()
    const lineId = await openLine(tx, to.id, device.id, areaCode)
    results.push(await syncLine(tx, lineId))
    const versions = await acceptedVersions(tx, to.id)
    await tx.db
      .insertInto('device_transfers')
      .values({
        id: newId('trf'),
        device_id: device.id,
        from_account_id: from,
        to_account_id: to.id,
        area_code: areaCode,
        terms_version: versions.terms,
        e911_version: versions.e911,
        status: 'completed',
        expires_at: now,
        created_at: now,
        decided_at: now,
        code_sent_at: null
      })
      .execute()
    await notifyAllEmails(
      tx.db,
      tx.clock,
      from,
      (l) => templates(l).deviceLeft(device.serial, 'moved'),
      'device-left'
    )
    await notifyAllEmails(
      tx.db,
      tx.clock,
      to.id,
      (l) => templates(l).deviceMovedHere(device.serial),
      'device-transferred'
    )
    await tx.audit.record('device.moved-by-operator', {
      accountId: from,
      detail: { device: device.id, to: to.id, operator: operatorId }
    })
    const line = await tx.db
      .selectFrom('lines')
      .select('phone_number')
      .where('id', '=', lineId)
      .executeTakeFirstOrThrow()
    return {
      answer: {
        serial: device.serial,
        fromAccountId: from,
        toAccountId: to.id,
        closedLines: open.map((l) => l.id),
        lineId,
        number: line.phone_number
      },
      results
    }
  })
  await applySync(ctx, results)
  return answer
}
