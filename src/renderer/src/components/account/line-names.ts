/**
 * How an order or a refund names the line an item was for when the line has no number yet: as the Lines tab names
 * it (LineCard.tsx), by its label when the person gave it one, else by its dongle's serial. Past orders and receipts
 * otherwise read "Line service, 1 month" alone, and an account with several pending lines could not tell which
 * line an order paid for (the service's mails and invoices name it the same way: docs/service.md).
 */
import type { TFunction } from 'i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useQuery } from '../../bridge/dialtone-context'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

/** A line's name for an item without a number (null: the line is not among the account's). */
export type LineName = (lineId: string | null) => string | null

export function lineNames(lines: readonly LineInfo[], t: TFunction): LineName {
  const byId = new Map(lines.map((l) => [l.id, l]))
  return (lineId) => {
    const line = lineId === null ? undefined : byId.get(lineId)
    if (!line) return null
    // Placed in a sentence by i18next, which isolates every value (i18n/interpolation.ts).
    return line.label ?? t('lines.dongle', { serial: line.deviceSerial })
  }
}

/** The account's lines by id, named as above (none until the lines are read). */
export function useLineNames(t: TFunction): LineName {
  const lines = useQuery('account.lines')
  return lineNames(lines.data?.lines ?? [], t)
}
