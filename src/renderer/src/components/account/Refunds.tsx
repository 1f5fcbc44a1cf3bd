/**
 * The Billing tab's refunds: money Dialtone gave back, newest first — where it went ("Refund to your card ending
 * 4242" or "Refund to your balance"), what it refunded (the order's words), the date and the amount. Read from
 * the past orders the service sends with their refunds; shown only once there is one. A refund to the balance is
 * also an entry of the statement above, so the balance after it is there too.
 */
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { formatCardDigits, formatInstant, formatMoney } from '../../format'
import { useWords } from '../../words'
import { type CardOrder, itemWords } from './order-words'
import { usePhoneNumbers } from '../../phone-numbers'
import { useLineNames } from './use-line-names'

type T = ReturnType<typeof useTranslation>['t']

/** Where a refund went, in words. */
export function refundWords(r: CardOrder['refunds'][number], t: T, lang: string): string {
  if (r.to === 'balance') return t('refunds.toBalance')
  return r.card
    ? t('refunds.toCard', { last4: isolate(formatCardDigits(r.card.last4, lang)) })
    : t('refunds.toCardUnknown')
}

export function Refunds(): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const words = useWords()
  const lineName = useLineNames(t)
  const lang = i18n.language
  const orders = useQuery('billing.orders')
  const rows = (orders.data?.orders ?? [])
    .flatMap((o) => o.refunds.map((r) => ({ r, o })))
    .sort((a, b) => (a.r.at < b.r.at ? 1 : a.r.at > b.r.at ? -1 : 0))
  if (rows.length === 0) return null
  return (
    <section className="card" aria-labelledby="refunds-title" data-testid="refunds">
      <h2 id="refunds-title">{t('refunds.title')}</h2>
      <p className="muted">{t('refunds.intro')}</p>
      <table data-testid="refunds-table">
        <thead>
          <tr>
            <th scope="col">{t('refunds.date')}</th>
            <th scope="col">{t('refunds.to')}</th>
            <th scope="col">{t('refunds.of')}</th>
            <th scope="col">{t('refunds.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ r, o }) => (
            <tr key={r.id} data-testid="refund" data-to={r.to}>
              <td>{isolate(formatInstant(r.at, lang))}</td>
              <td>{refundWords(r, t, lang)}</td>
              <td>
                {t('refunds.ofOrder', {
                  what: o.items.map((i) => itemWords(i, t, words, phone, lineName)).join(' · '),
                  date: isolate(formatInstant(o.at, lang))
                })}
              </td>
              <td>{isolate(formatMoney(r.amount, lang))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
