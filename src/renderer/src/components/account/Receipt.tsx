/**
 * One order's receipt, on screen and printable: who sold it, the order id and date, what was bought (for which
 * line), each amount and the total, and the card it was paid with (brand and last 4). Worded here from codes; the
 * provider's name, the order id and numbers are isolated so they read right in a right-to-left page. "Print"
 * prints this receipt alone (styles.css hides the rest of the page while body has .printing-receipt).
 */
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { formatInstant, formatMoney } from '../../format'
import { useWords } from '../../words'
import { usePhoneNumbers } from '../../phone-numbers'
import { useLineNames } from './use-line-names'
import { type CardOrder, cardWords, itemWords } from './order-words'

export function Receipt({
  order,
  provider,
  onClose
}: {
  order: CardOrder
  provider: string
  onClose: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const words = useWords()
  const lineName = useLineNames(t)
  const lang = i18n.language
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [order.id])
  const print = (): void => {
    document.body.classList.add('printing-receipt')
    window.print()
    document.body.classList.remove('printing-receipt')
  }
  return (
    <section className="card receipt" aria-labelledby="receipt-title" data-testid="receipt">
      <h3 id="receipt-title" tabIndex={-1} ref={heading}>
        {t('orders.receiptTitle')}
      </h3>
      <dl className="facts">
        <dt>{t('orders.provider')}</dt>
        <dd data-testid="receipt-provider">{isolate(provider)}</dd>
        <dt>{t('orders.orderId')}</dt>
        <dd data-testid="receipt-id">{isolate(order.id)}</dd>
        <dt>{t('orders.date')}</dt>
        <dd>{isolate(formatInstant(order.at, lang))}</dd>
        <dt>{t('orders.paidWith')}</dt>
        <dd data-testid="receipt-card">{cardWords(order.card, t, lang)}</dd>
      </dl>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('orders.what')}</th>
            <th scope="col">{t('orders.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((i, n) => (
            <tr key={n} data-testid="receipt-item">
              <td>
                {itemWords(i, t, words, phone, lineName)}
                {i.paidThrough && (
                  <span className="muted">
                    {' '}
                    {t('orders.paidThrough', { date: isolate(formatInstant(i.paidThrough, lang)) })}
                  </span>
                )}
              </td>
              <td>{isolate(formatMoney(i.amount, lang))}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('orders.total')}</th>
            <td data-testid="receipt-total">{isolate(formatMoney(order.total, lang))}</td>
          </tr>
        </tbody>
      </table>
      <div className="row-actions no-print">
        <button type="button" onClick={print} data-testid="receipt-print">
          {t('orders.print')}
        </button>
        <button type="button" className="secondary" onClick={onClose} data-testid="receipt-close">
          {t('orders.close')}
        </button>
      </div>
    </section>
  )
}
