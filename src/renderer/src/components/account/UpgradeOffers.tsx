/**
 * Device upgrade offers: the special price beside the regular one and until when, each line with whether it may
 * take the offer (and from which day, if not yet), ordering for a line by card, and the order with where it ships.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useAction, useDialtone, useEvent, useQuery } from '../../bridge/dialtone-context'
import { useIntent } from '../../bridge/intent'
import { formatDay, formatMoney } from '../../format'
import { useWords } from '../../words'
import { FormError } from '../Field'
import { EMPTY_PAYMENT, PaymentFields, paymentChoice } from './PaymentFields'
import { isolate } from '../../../../shared/i18n/bidi'
import { logFailure } from '../../log'
import { usePhoneNumbers } from '../../phone-numbers'

type Offer = ResponseOf<'billing.upgradeOffers'>['offers'][number]
type OfferLine = Offer['lines'][number]

export function UpgradeOffers(): React.JSX.Element | null {
  const { t } = useTranslation()
  const offers = useQuery('billing.upgradeOffers')
  useEvent('account.linesChanged', offers.refresh)
  if (!offers.data || offers.data.offers.length === 0) return null
  return (
    <section className="card" aria-labelledby="offers-title" data-testid="offers">
      <h2 id="offers-title">{t('offers.title')}</h2>
      {offers.data.offers.map((o) => (
        <OfferItem key={o.id} offer={o} onOrdered={offers.refresh} />
      ))}
    </section>
  )
}

function OfferItem({ offer, onOrdered }: { offer: Offer; onOrdered: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const words = useWords()
  const lang = i18n.language
  const client = useDialtone()
  const intent = useIntent()
  const [lineId, setLineId] = useState<string | null>(null)
  const [payment, setPayment] = useState(EMPTY_PAYMENT)
  const order = useAction((forLine: string) =>
    intent((idempotencyKey) =>
      client.invoke('billing.orderUpgrade', {
        idempotencyKey,
        offerId: offer.id,
        lineId: forLine,
        payment: paymentChoice(payment)
      })
    )
  )
  const price = formatMoney({ amountMinor: offer.offerMinor, currency: offer.currency }, lang)
  const regular = formatMoney({ amountMinor: offer.regularMinor, currency: offer.currency }, lang)
  const placed = order.data
  // Each line's "Order for this line" is described by the line it is for (a screen reader's list of buttons).
  const ids = useId()

  return (
    <div className="offer" data-testid={`offer-${offer.id}`}>
      <h3>{words.offerName(offer.id)}</h3>
      {words.offerDescription(offer.id) && <p>{words.offerDescription(offer.id)}</p>}
      <p>
        {/* A deletion cannot be named (aria-label on <del> is not read): the relation is said in hidden words. */}
        <strong>{price}</strong>{' '}
        <del data-testid="offer-regular">
          <span className="visually-hidden">{t('offers.regular', { price: regular })}</span>
          <span aria-hidden="true">{regular}</span>
        </del>{' '}
        {t('offers.until', { day: formatDay(offer.endsOn, lang) })}
      </p>
      <ul className="plain-list">
        {offer.lines.map((l) => (
          <li key={l.lineId} data-testid={`offer-line-${l.lineId}`}>
            <span id={`${ids}-${l.lineId}`}>
              {isolate(l.phoneNumber ? phone(l.phoneNumber) : t('offers.noNumber'))}
            </span>
            {' · '}
            {l.eligible ? (
              <button
                type="button"
                className="secondary"
                aria-expanded={lineId === l.lineId}
                aria-describedby={`${ids}-${l.lineId}`}
                data-testid={`offer-choose-${l.lineId}`}
                onClick={() => setLineId(lineId === l.lineId ? null : l.lineId)}
              >
                {t('offers.order')}
              </button>
            ) : (
              <span className="muted">{whyNot(l, offer, t, lang)}</span>
            )}
          </li>
        ))}
      </ul>
      {lineId && (
        <form
          noValidate
          className="form"
          aria-label={t('offers.formLabel', { name: words.offerName(offer.id) })}
          onSubmit={(e) => {
            e.preventDefault()
            void order
              .run(lineId)
              .then((r) => {
                if (!r) return
                setLineId(null)
                setPayment(EMPTY_PAYMENT)
                onOrdered()
              })
              .catch(logFailure('UpgradeOffers: order.run'))
          }}
        >
          <PaymentFields draft={payment} onChange={setPayment} error={order.error} testId="offer-card" />
          <FormError error={order.error} testId="offer-error" />
          <button type="submit" aria-disabled={order.pending} data-testid="offer-submit">
            {t('offers.pay', { price })}
          </button>
        </form>
      )}
      {placed && (
        <p className="note" role="status" data-testid="offer-done">
          {t('offers.done', {
            // The offer's words by its id, as in the heading: the order's `name` is the service's English.
            name: words.offerName(placed.offerId),
            city: placed.shipTo.city,
            postalCode: placed.shipTo.postalCode
          })}
        </p>
      )}
    </div>
  )
}

function whyNot(l: OfferLine, offer: Offer, t: ReturnType<typeof useTranslation>['t'], lang: string): string {
  switch (l.why) {
    case 'ordered':
      return t('offers.ordered')
    case 'too-soon':
      return t('offers.tooSoon', {
        days: offer.minServiceDays,
        count: offer.minServiceDays,
        day: l.availableFrom ? formatDay(l.availableFrom, lang) : ''
      })
    case 'not-in-service':
      return t('offers.notInService')
    case 'other-model':
      return t('offers.otherModel')
    default:
      return t('errors.reason.offer-not-eligible')
  }
}
