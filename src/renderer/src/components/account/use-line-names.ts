/**
 * The account's lines named for past orders (order-words.ts lineNames), from the lines the app reads anyway.
 */
import type { TFunction } from 'i18next'
import { useQuery } from '../../bridge/dialtone-context'
import { type LineName, lineNames } from './order-words'

/** The account's lines by id, named for orders (none until the lines are read). */
export function useLineNames(t: TFunction): LineName {
  const lines = useQuery('account.lines')
  return lineNames(lines.data?.lines ?? [], t)
}
