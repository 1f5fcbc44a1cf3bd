/**
 * Second-hand transfers as each side sees them (transferInfo): the request's reference both sides read, which side
 * the viewer is on, its state as of now, and whether its code was emailed; and the list of an account's transfers,
 * both directions. Apart from ./transfer.ts, which asks, emails and approves.
 */
import { createHash } from 'node:crypto'
import type { ServiceContext } from '../context'
import type { DeviceTransfersTable } from '../db/schema'
import { CROCKFORD } from '../secrets'

/**
 * A request's reference, six Crockford characters (not misheard over the phone) from its id, that both sides see: the asker in their app, the owner in
 * the email and beside the approval. Several people may ask for one dongle, and an asker's name is whatever they
 * typed; the reference is what the person the owner handed the dongle to can tell them, so they approve theirs.
 */
export function transferReference(id: string): string {
  const h = createHash('sha256').update(id).digest()
  let out = ''
  for (let i = 0; i < 6; i++) out += CROCKFORD[(h[i] ?? 0) % 32]
  return out
}

/** Transfers with what a view of them needs: the dongle's serial (and its owner now), the name the asker gave. */
export const transfersWithNames = (ctx: ServiceContext) =>
  ctx.db
    .selectFrom('device_transfers')
    .innerJoin('devices', 'devices.id', 'device_transfers.device_id')
    .innerJoin('accounts as asker', 'asker.id', 'device_transfers.to_account_id')
    .selectAll('device_transfers')
    .select(['devices.serial', 'devices.owner_account_id', 'asker.name as asker_name'])

export async function listTransfers(ctx: ServiceContext, accountId: string) {
  const rows = await transfersWithNames(ctx)
    .where((eb) =>
      eb.or([
        eb('device_transfers.to_account_id', '=', accountId),
        eb('device_transfers.from_account_id', '=', accountId)
      ])
    )
    .orderBy('device_transfers.created_at', 'desc')
    .orderBy('device_transfers.id', 'desc')
    .execute()
  const now = ctx.clock.now().toISOString()
  return rows.map((r) => transferView(r, r.serial, r.asker_name, accountId, now))
}

/** A transfer as `viewer` sees it (transferInfo): which side they are on, and its state as of `now`. */
export function transferView(
  r: Omit<DeviceTransfersTable, 'device_id' | 'area_code' | 'terms_version' | 'e911_version'>,
  serial: string,
  askerName: string | null,
  viewer: string,
  now: string
) {
  const outgoing = r.from_account_id === viewer
  return {
    id: r.id,
    reference: transferReference(r.id),
    // The owner sees who asked (as they named themselves); the asker needs no name of theirs.
    askedBy: outgoing ? askerName : null,
    deviceSerial: serial,
    status: r.status === 'pending' && r.expires_at <= now ? ('expired' as const) : r.status,
    direction: outgoing ? ('outgoing' as const) : ('incoming' as const),
    codeSent: r.code_sent_at !== null,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedAt: r.decided_at
  }
}
