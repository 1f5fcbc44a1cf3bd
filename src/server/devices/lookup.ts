/**
 * What the app asks about a dongle before activating it (PRODUCT.md journey C): whether its serial is unregistered,
 * owned (by the person asking or not) or waiting on a transfer, whether it may still have its one trial (only a
 * model that attests itself, on a device never owned and never trialled), and whether it needs proof of purchase.
 * A serial known as another model is refused. Read only: nothing here writes.
 */
import type { ServiceContext } from '../context'
import { invalid } from '../http/errors'
import { attests } from './attestation'
import { findDevice } from './shared'

export async function lookupDevice(
  ctx: ServiceContext,
  serial: string,
  model: string,
  accountId: string | null
) {
  const device = await findDevice(ctx, serial)
  if (device && device.model !== model)
    throw invalid('model', 'this serial number belongs to another model of dongle', 'model-mismatch')
  const pendingTransfer = device
    ? await ctx.db
        .selectFrom('device_transfers')
        .select('id')
        .where('device_id', '=', device.id)
        .where('status', '=', 'pending')
        .where('expires_at', '>', ctx.clock.now().toISOString()) // an expired request is not waiting
        .executeTakeFirst()
    : undefined
  return {
    serial,
    state: pendingTransfer
      ? ('transfer-pending' as const)
      : device?.owner_account_id
        ? ('owned' as const)
        : ('unregistered' as const),
    trialAvailable:
      attests(ctx, model) && (!device || (device.trial_used_at === null && device.owner_account_id === null)),
    ownedByYou: accountId !== null && device?.owner_account_id === accountId,
    needsProofOfPurchase: !attests(ctx, model)
  }
}
