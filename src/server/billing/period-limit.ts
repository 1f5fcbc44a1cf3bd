/**
 * The longest period a file or a list of the account's history may cover (a statement, a document, the itemised
 * calls): each is read and written in memory in one request, so an unbounded one ("from 1900 to 2999") is as much
 * work as the whole history, asked for as often as anyone likes. Refused beside the `to` field, with the bound.
 */
import { STATEMENT_MAX_DAYS } from '../../shared/api/billing'
import { invalid } from '../http/errors'

/** The itemised calls, listed, downloaded or emailed whole: a year at most, as a statement. */
export const CALL_DETAILS_MAX_DAYS = STATEMENT_MAX_DAYS

/** Days from `from` to `to`, both included (local calendar dates, YYYY-MM-DD). */
export const spanDays = (p: { readonly from: string; readonly to: string }): number =>
  (Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000 + 1

export function refuseLongerThan(
  p: { readonly from: string; readonly to: string },
  maxDays: number,
  what: string
): void {
  if (spanDays(p) > maxDays)
    throw invalid('to', `${what} covers at most ${maxDays} days`, 'period-too-long', { days: maxDays })
}
