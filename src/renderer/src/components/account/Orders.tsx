/**
 * Past orders paid by card — renewals and minutes packs bought at checkout, balance top-ups, device orders — newest
 * first, each with its receipt; and the device orders with where they ship and whether they are paid. The
 * receipt opens below the list, ready to print.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { formatInstant, formatMoney } from '../../format'
import { useWords } from '../../words'
import { FormError } from '../Field'
import { Receipt } from './Receipt'
import { cardWords, itemWords } from './order-words'
import { usePhoneNumbers } from '../../phone-numbers'
import { useLineNames } from './use-line-names'

export function Orders(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const words = useWords()
  const lineName = useLineNames(t)
  const lang = i18n.language
  const orders = useQuery('billing.orders')
  const devices = useQuery('billing.deviceOrders')
  const [open, setOpen] = useState<string | null>(null)
  const list = orders.data?.orders ?? []
  const chosen = list.find((o) => o.id === open)
  // Each "View receipt" is described by what it is for, so a screen reader tells the buttons apart.
  const ids = useId()
  const receiptButton = (id: string, testId: string, describedBy: string) => (
    <button
      type="button"
      className="secondary"
      onClick={() => setOpen(id)}
      data-testid={testId}
      aria-describedby={describedBy}
    >
      {t('orders.receipt')}
    </button>
  )
  return (
    <section className="card" aria-labelledby="orders-title" data-testid="orders">
      <h2 id="orders-title">{t('orders.title')}</h2>
      <FormError error={orders.error ?? devices.error} testId="orders-error" />
      {list.length === 0 ? (
        <p className="muted">{t('orders.none')}</p>
      ) : (
        <table data-testid="orders-table">
          <thead>
            <tr>
              <th scope="col">{t('orders.date')}</th>
              <th scope="col">{t('orders.what')}</th>
              <th scope="col">{t('orders.paidWith')}</th>
              <th scope="col">{t('orders.amount')}</th>
              <th scope="col">{t('orders.receiptColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((o) => (
              <tr key={o.id} data-testid="order" data-kind={o.kind}>
                <td>{isolate(formatInstant(o.at, lang))}</td>
                <td id={`${ids}-${o.id}`}>
                  {o.items.map((i) => itemWords(i, t, words, phone, lineName)).join(' · ')}
                </td>
                <td>{cardWords(o.card, t, lang)}</td>
                <td>{isolate(formatMoney(o.total, lang))}</td>
                <td>{receiptButton(o.id, 'order-receipt', `${ids}-${o.id}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(devices.data?.orders.length ?? 0) > 0 && (
        <>
          <h3>{t('orders.devicesTitle')}</h3>
          <ul className="plain-list" data-testid="device-orders">
            {devices.data?.orders.map((d) => (
              <li key={d.id} data-testid="device-order">
                <span id={`${ids}-device-${d.id}`}>
                  {t('orders.device', {
                    name: words.offerName(d.offerId),
                    date: isolate(formatInstant(d.createdAt, lang)),
                    status: t(`orders.deviceStatus.${d.status}`),
                    city: isolate(d.shipTo.city),
                    postalCode: isolate(d.shipTo.postalCode)
                  })}
                </span>{' '}
                {list.some((o) => o.id === d.id) &&
                  receiptButton(d.id, 'device-order-receipt', `${ids}-device-${d.id}`)}
              </li>
            ))}
          </ul>
        </>
      )}
      {chosen && orders.data && (
        <Receipt order={chosen} provider={orders.data.provider} onClose={() => setOpen(null)} />
      )}
    </section>
  )
}
