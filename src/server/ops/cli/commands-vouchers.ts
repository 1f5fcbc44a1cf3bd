/**
 * `dialtone-ops vouchers …`: batches of Re-Up cards from creation to sale: create a batch of a plan's version,
 * export its PINs for the printer (once: after that the service no longer has them; to stdout or a 0600 file),
 * ship it to a retail partner, a till's sale of one card, block a lost batch, and the report of every batch.
 */
import { UsageError } from './args'
import { type Command, expiry, flag, outFile, positiveInt, word } from './command'
import { writePrivate } from './credentials'
import { table } from './table'

function pinsCsv(cards: readonly { serial: string; pin: string }[]): string {
  return ['serial,pin', ...cards.map((c) => `${c.serial},${c.pin}`)].join('\n') + '\n'
}

export const vouchersCommands: readonly Command[] = [
  {
    name: 'vouchers create-batch',
    args: [],
    required: ['name', 'plan', 'size', 'expires', 'reason'],
    optional: [],
    help: 'create a batch of Re-Up cards (--plan line-1y@1 --size 100 --expires 2027-12-31)',
    async run(io) {
      const plan = flag(io, 'plan')
      // A batch is of one version of a plan; a bare code (the README's `line-1m`) was refused as "not found".
      if (!plan.includes('@'))
        throw new UsageError(
          `--plan is a plan and its version, code@version: ${plan}@1 is its first (plans list shows them all)`
        )
      const out = await io.client().call('opsVouchersCreate', {
        name: flag(io, 'name'),
        planId: plan,
        size: positiveInt(flag(io, 'size'), 'size'),
        expiresAt: expiry(flag(io, 'expires')),
        reason: flag(io, 'reason')
      })
      return {
        json: out,
        human: `Batch ${out.batchId}: ${out.size} cards. Next: ${io.self} vouchers export-pins ${out.batchId} --reason "…"\n`
      }
    }
  },
  {
    name: 'vouchers export-pins',
    args: ['batch-id'],
    required: ['reason'],
    optional: ['out'],
    help: "the batch's serials and PINs as CSV for the printer — works ONCE (--out FILE writes it 0600)",
    async run(io) {
      const out = await io
        .client()
        .call('opsVouchersExportPins', { batchId: word(io, 0, 'batch id'), reason: flag(io, 'reason') })
      const csv = pinsCsv(out.cards)
      const file = outFile(io)
      if (file) writePrivate(file, csv)
      return {
        json: file ? { batchId: out.batchId, cards: out.cards.length, file } : out,
        human: file ? `${out.cards.length} PINs written to ${file}; the service no longer has them.\n` : csv
      }
    }
  },
  {
    name: 'vouchers ship',
    args: ['batch-id'],
    required: ['partner', 'reason'],
    optional: [],
    help: 'ship a batch to a retail partner: its tills may sell the cards',
    async run(io) {
      const out = await io.client().call('opsVouchersShip', {
        batchId: word(io, 0, 'batch id'),
        partnerId: flag(io, 'partner'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: `Shipped ${out.shipped} cards of ${out.batchId} to ${out.partnerId}.\n` }
    }
  },
  {
    name: 'vouchers activate',
    args: ['serial'],
    required: [],
    optional: [],
    help: "the till's sale of one card (a partner API key; only cards shipped to that partner)",
    async run(io) {
      const out = await io.client().call('opsTillActivate', { serial: word(io, 0, 'card serial') })
      return { json: out, human: `Card ${out.serial} is active.\n` }
    }
  },
  {
    name: 'vouchers block-batch',
    args: ['batch-id'],
    required: ['reason'],
    optional: [],
    help: 'block every card of a lost or stolen batch not yet redeemed (made, shipped or sold)',
    async run(io) {
      const out = await io
        .client()
        .call('opsVouchersBlock', { batchId: word(io, 0, 'batch id'), reason: flag(io, 'reason') })
      return { json: out, human: `Blocked ${out.blocked} cards of ${out.batchId}.\n` }
    }
  },
  {
    name: 'vouchers report',
    args: [],
    required: [],
    optional: [],
    help: 'every batch: partner, PIN export, cards by state',
    async run(io) {
      const out = await io.client().call('opsVouchersReport')
      const rows = out.batches.map((b) => ({ ...b, ...b.counts, exported: b.pinsExportedAt ? 'yes' : 'no' }))
      return {
        json: out,
        human: table(rows, [
          'id',
          'name',
          'planId',
          'size',
          'partnerId',
          'exported',
          'generated',
          'inactive',
          'active',
          'redeemed',
          'expired',
          'blocked'
        ])
      }
    }
  }
]
