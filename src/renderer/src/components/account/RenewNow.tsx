/**
 * Renewing a line now (or turning its trial into paid service): choose the plan, optionally apply a promotion
 * code, see the priced cart (list price, the discount, what the person should know before paying), pay with a
 * saved or new card, optionally turning auto-renew on. A code is sent with the payment only once the service
 * has priced the cart with it; a refused code leaves the price without it and is worded beside its field. The intent's key stays
 * the same across retries until the payment has a final answer, so a retry after a dropped network cannot pay
 * twice. The total is said when the person changes it (a plan chosen, a code applied), not only drawn.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMayCall } from '../business/role'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { formatInstant, formatMoney } from '../../format'
import { useIntent } from '../../bridge/intent'
import { isolate } from '../../../../shared/i18n/bidi'
import { useWords } from '../../words'
import { FormError, issueFor } from '../Field'
import { PromoCodeField } from './PromoCodeField'
import { EMPTY_PAYMENT, PaymentFields, paymentChoice } from './PaymentFields'
import type { Plan, Subscription } from './Renewal'
import { logFailure } from '../../log'
import { usePhoneNumbers } from '../../phone-numbers'
import { Said, useSaidOnChange } from '../Said'

export function RenewNow({
  lineId,
  sub,
  plans,
  onPaid
}: {
  lineId: string
  sub: Subscription
  plans: readonly Plan[]
  onPaid: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const words = useWords()
  const lang = i18n.language
  const client = useDialtone()
  const choices = plans.filter((p) => p.kind === 'line_service')
  const [planId, setPlanId] = useState('')
  const chosen = planId || (sub.plan?.kind === 'line_service' ? sub.plan.id : (choices[0]?.id ?? ''))
  const items = [{ kind: 'renewal' as const, lineId, planId: chosen }]
  const base = useQuery('billing.quote', chosen ? { items } : null)
  const [promoDraft, setPromoDraft] = useState('')
  const [promoCode, setPromoCode] = useState('')
  const promoQuote = useQuery('billing.quote', chosen && promoCode ? { items, promoCode } : null)
  const promoIssue = issueFor(promoQuote.error, 'promoCode')
  // The code's price when the service accepted it; otherwise the price without it.
  const promoOk = promoCode !== '' && promoQuote.data !== undefined
  const quote = promoOk ? promoQuote : base
  // While a code is being priced, nothing can be paid: the price on the button must be the one charged.
  const pricing = promoCode !== '' && promoQuote.loading
  const [payment, setPayment] = useState(EMPTY_PAYMENT)
  const [autoRenew, setAutoRenew] = useState(false)
  const mayAutoRenew = useMayCall('setAutoRenew')
  const intent = useIntent()
  const [paidThrough, setPaidThrough] = useState<string | null>(null)
  const pay = useAction(() =>
    intent((idempotencyKey) =>
      client.invoke('billing.checkout', {
        idempotencyKey,
        items,
        payment: paymentChoice({ ...payment, save: payment.save || autoRenew }),
        autoRenew,
        ...(promoOk ? { promoCode } : {})
      })
    )
  )
  const q = quote.data
  // Said when the person changed it (a plan chosen, a code applied): not the total the card opened on (each line's
  // card has one), nor one passing by while a price is still being asked for (the plan's full price before its code's).
  const said = useSaidOnChange(
    // Unknown (not news) until a total has settled: the plans arriving after the first render are no change.
    base.loading || pricing || !q ? undefined : `${q.total.amountMinor} ${q.total.currency}`,
    q ? t('renewal.total', { total: formatMoney(q.total, lang) }) : '',
    false
  )
  return (
    <form
      noValidate
      className="form"
      aria-labelledby={`renew-title-${lineId}`}
      data-testid="renew-now"
      onSubmit={(e) => {
        e.preventDefault()
        void pay
          .run()
          .then((r) => {
            if (!r) return
            setPaidThrough(r.items[0]?.paidThrough ?? null)
            setPayment(EMPTY_PAYMENT)
            setPromoDraft('')
            setPromoCode('')
            onPaid()
          })
          .catch(logFailure('RenewNow: pay.run'))
      }}
    >
      <h3 id={`renew-title-${lineId}`}>{t('renewal.renewTitle')}</h3>
      <label htmlFor={`renew-plan-${lineId}`}>{t('renewal.choosePlan')}</label>
      <select
        id={`renew-plan-${lineId}`}
        data-testid="renew-plan"
        value={chosen}
        onChange={(e) => setPlanId(e.target.value)}
      >
        {choices.map((p) => (
          <option key={p.id} value={p.id}>
            {t('renewal.planPrice', {
              name: words.plan(p.code),
              price: formatMoney(p.price, lang),
              interval: t(`renewal.interval.${p.interval}`, { count: p.intervalCount })
            })}
          </option>
        ))}
      </select>
      <PromoCodeField
        draft={promoDraft}
        onDraft={setPromoDraft}
        onApply={() => setPromoCode(promoDraft.trim())}
        applied={promoOk ? promoCode : null}
        issue={promoIssue ?? issueFor(pay.error, 'promoCode')}
      />
      <FormError error={quote.error} testId="quote-error" />
      {promoQuote.error && !promoIssue && <FormError error={promoQuote.error} testId="promo-error" />}
      {q && (
        <div className="quote" data-testid="quote">
          {q.items.map((it) => (
            <div key={it.planId}>
              <p>
                {it.phoneNumber
                  ? t('notice.itemRenewal', {
                      plan: words.plan(it.planCode),
                      number: isolate(phone(it.phoneNumber))
                    })
                  : words.plan(it.planCode)}
                : {formatMoney(it.price, lang)}
                {it.discountMinor > 0 && (
                  <span className="muted">
                    {' '}
                    {t('renewal.listPrice', {
                      price: formatMoney(it.listPrice, lang),
                      saved: formatMoney({ amountMinor: it.discountMinor, currency: it.price.currency }, lang)
                    })}
                  </span>
                )}
              </p>
              {it.notices.map((n) => (
                <p key={n.code} className="note" data-testid="quote-notice">
                  {words.notice(n.code, n.params)}
                </p>
              ))}
            </div>
          ))}
          <p className="total" data-testid="quote-total">
            {t('renewal.total', { total: formatMoney(q.total, lang) })}
          </p>
        </div>
      )}
      <Said said={said} look="unseen" testId="quote-said" />
      <PaymentFields
        draft={payment}
        onChange={setPayment}
        error={pay.error}
        testId="renew-card"
        mustSave={autoRenew}
      />
      {/* Auto-renew is the administrator's to switch on (a business's billing person pays, and does not). */}
      {mayAutoRenew && (
        <label className="inline">
          <input
            type="checkbox"
            data-testid="renew-auto"
            checked={autoRenew}
            onChange={(e) => setAutoRenew(e.target.checked)}
          />
          {t('renewal.renewWithAuto')}
        </label>
      )}
      <FormError error={pay.error} testId="renew-error" />
      {paidThrough && (
        <p className="note" role="status" data-testid="renew-done">
          {t('renewal.paid', { date: formatInstant(paidThrough, lang) })}
        </p>
      )}
      <button type="submit" disabled={pay.pending || !q || pricing} data-testid="renew-pay">
        {q ? t('renewal.pay', { total: formatMoney(q.total, lang) }) : t('renewal.payPending')}
      </button>
    </form>
  )
}
