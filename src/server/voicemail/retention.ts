/**
 * Voicemail's age limit over every box (VOICEMAIL_LIMITS.maxAgeDays): the daily retention job's part
 * (../retention.ts). A box's own reads and calls purge it on use (store.ts purgeOld); a box nobody uses again
 * would otherwise keep its messages, callers' numbers and names with their audio, for ever. Deleted in batches,
 * each its own statement, so a large backlog never holds one long transaction; each line that lost a message is
 * told (the lamp of an unheard one goes out).
 */
import { DAY } from '../clock'
import type { ServiceContext } from '../context'
import { voicemailChanged } from './changes'
import { VOICEMAIL_LIMITS } from './limits'

/** Removes every box's messages past the age limit, `batch` at a time; how many went. */
export async function purgeOldEverywhere(ctx: ServiceContext, batch: number): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - VOICEMAIL_LIMITS.maxAgeDays * DAY).toISOString()
  let total = 0
  for (;;) {
    const gone = await ctx.db
      .deleteFrom('voicemail_messages')
      .where('id', 'in', (eb) =>
        eb.selectFrom('voicemail_messages').select('id').where('received_at', '<', cutoff).limit(batch)
      )
      .returning('line_id')
      .execute()
    for (const lineId of new Set(gone.map((g) => g.line_id))) voicemailChanged(ctx, lineId)
    total += gone.length
    if (gone.length < batch) return total
  }
}
