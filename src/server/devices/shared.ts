/**
 * What every way of getting a dongle onto an account shares: the legal acceptances (checked against the current
 * versions and recorded with time and IP), the device record, and a fresh line with a number from the chosen
 * area code. A new line never has an E911 address: it is asked for every time, including after a transfer.
 */
import type { ServiceContext } from '../context'
import type { CoverageGrantsTable, DevicesTable } from '../db/schema'
import { extendCoverage } from '../billing/coverage'
import { type ServiceError, conflict, invalid } from '../http/errors'
import { assignNumber } from '../numbers/pool'
import { newId } from '../secrets'

export function checkAcceptances(
  ctx: ServiceContext,
  a: { termsVersion: string; e911DisclosureVersion: string }
): void {
  const legal = ctx.config.legal
  if (a.termsVersion !== legal.termsVersion)
    throw invalid(
      'acceptances.termsVersion',
      `the terms of service changed (now version ${legal.termsVersion}); read and accept them again`,
      'terms-outdated'
    )
  if (a.e911DisclosureVersion !== legal.e911DisclosureVersion)
    throw invalid(
      'acceptances.e911DisclosureVersion',
      `the 911 limitations notice changed (now version ${legal.e911DisclosureVersion}); read and acknowledge it again`,
      'e911-outdated'
    )
}

export async function recordAcceptances(
  ctx: ServiceContext,
  accountId: string,
  deviceId: string,
  versions: { terms: string; e911: string },
  ip: string | null
): Promise<void> {
  const at = ctx.clock.now().toISOString()
  await ctx.db
    .insertInto('acknowledgements')
    .values([
      {
        id: newId('ack'),
        account_id: accountId,
        kind: 'terms',
        version: versions.terms,
        device_id: deviceId,
        at,
        ip
      },
      {
        id: newId('ack'),
        account_id: accountId,
        kind: 'e911',
        version: versions.e911,
        device_id: deviceId,
        at,
        ip
      }
    ])
    .execute()
  await ctx.audit.record('ack.recorded', {
    accountId,
    ip,
    detail: { device: deviceId, terms: versions.terms, e911: versions.e911 }
  })
}

/** The web-shop order that names this serial (the dongle it sold), if any: its number. */
/** The answer to binding a dongle someone already owns: the asker's own (`mine`), or someone else's. */
export const alreadyOwned = (mine: boolean): ServiceError =>
  mine
    ? conflict('already-yours', 'this dongle is already on your account')
    : conflict(
        'device-owned',
        'this dongle is registered to someone else; ask for a transfer from its previous owner'
      )

export async function orderNaming(ctx: ServiceContext, serial: string): Promise<string | undefined> {
  return (await ctx.db.selectFrom('orders').select('number').where('serial', '=', serial).executeTakeFirst())
    ?.number
}

export async function findDevice(ctx: ServiceContext, serial: string): Promise<DevicesTable | undefined> {
  return ctx.db.selectFrom('devices').selectAll().where('serial', '=', serial).executeTakeFirst()
}

/** Insert the device if new; returns its row. The serial is unique, so a race inserts once. */
export async function upsertDevice(
  ctx: ServiceContext,
  serial: string,
  model: string
): Promise<DevicesTable> {
  const existing = await findDevice(ctx, serial)
  if (existing) {
    if (existing.model !== model)
      throw invalid('model', 'this serial number belongs to another model of dongle', 'model-mismatch')
    return existing
  }
  const now = ctx.clock.now().toISOString()
  const row: DevicesTable = {
    id: newId('dev'),
    serial,
    model,
    owner_account_id: null,
    purchase_channel: null,
    order_number: null,
    trial_used_at: null,
    included_service_used_at: null,
    created_at: now,
    updated_at: now
  }
  await ctx.db
    .insertInto('devices')
    .values(row)
    .onConflict((oc) => oc.column('serial').doNothing())
    .execute()
  return (await findDevice(ctx, serial)) ?? row
}

export async function openLine(
  ctx: ServiceContext,
  accountId: string,
  deviceId: string,
  areaCode: string
): Promise<string> {
  const id = newId('lin')
  await ctx.db
    .insertInto('lines')
    .values({
      id,
      account_id: accountId,
      device_id: deviceId,
      status: 'pending',
      phone_number: null,
      payment_method_id: null,
      created_at: ctx.clock.now().toISOString(),
      closed_at: null
    })
    .execute()
  await assignNumber(ctx, id, { areaCode }, 'activation')
  return id
}

/** Coverage that comes with an activation (trial days, retail or order months); stacks like any grant. */
export async function grantCoverage(
  ctx: ServiceContext,
  lineId: string,
  source: { type: CoverageGrantsTable['source_type']; id: string },
  length: { days?: number; months?: number }
): Promise<void> {
  await extendCoverage(ctx, lineId, source, length)
}
