/**
 * The balance: what is left, the last top-up and the last charge, a promised payment (taken, due, or on offer
 * with its fee and term said up front), minutes packs, and topping up by card. Calls other than 911 are held
 * while a promised payment is overdue; the card says so first.
 */
import { Fragment, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { formatInstant, formatMoney } from '../../format'
import { useIntent } from '../../bridge/intent'
import { useWords } from '../../words'
import { Field, FormError, issueFor } from '../Field'
import { MinutesPacks } from './MinutesPacks'
import { EMPTY_PAYMENT, PaymentFields, paymentChoice } from './PaymentFields'
import { isolate } from '../../../../shared/i18n/bidi'
import { latinDecimal } from '../../../../shared/numbers/latin-digits'
import { logFailure } from '../../log'
import { useFocusWhenAsked } from '../../focus-when-asked'
import { Said, useSaid } from '../Said'

export function Balance(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const words = useWords()
  const lang = i18n.language
  const client = useDialtone()
  const view = useQuery('billing.balance')
  const [amount, setAmount] = useState('10')
  const [payment, setPayment] = useState(EMPTY_PAYMENT)
  const topUpIntent = useIntent()
  const promiseIntent = useIntent()
  const paidMinor = Math.round(Number(latinDecimal(amount).replace(',', '.')) * 100)
  const topUp = useAction(() =>
    topUpIntent((idempotencyKey) =>
      client.invoke('billing.topUp', {
        idempotencyKey,
        amountMinor: paidMinor,
        payment: paymentChoice(payment)
      })
    )
  )
  const promise = useAction(() =>
    promiseIntent((idempotencyKey) => client.invoke('billing.promisedPayment', { idempotencyKey }))
  )
  const heading = useRef<HTMLHeadingElement>(null)
  // A refusal or a notice that says to top up links here (remedies.ts TOP_UP, CREDIT).
  useFocusWhenAsked('balance', () => heading.current)
  // What a top-up, a promised payment or a minutes pack just did, with the balance it left.
  const { said, say } = useSaid()
  const b = view.data
  const currency = b?.balance.currency ?? 'USD'

  return (
    <section className="card" aria-labelledby="balance-title" data-testid="balance">
      <h2 id="balance-title" ref={heading} tabIndex={-1}>
        {t('billing.balanceTitle')}
      </h2>
      {view.error && <FormError error={view.error} testId="balance-error" />}
      {b && (
        <>
          {b.restricted && (
            <p className="banner warn" role="status">
              {t('billing.restricted')}
            </p>
          )}
          <p className="big-figure" data-testid="balance-amount">
            {isolate(formatMoney(b.balance, lang))}
          </p>
          <dl className="facts">
            <dt>{t('billing.lastTopUp')}</dt>
            <dd>
              {b.lastTopUp
                ? `${formatMoney(b.lastTopUp.amount, lang)} · ${formatInstant(b.lastTopUp.at, lang)}`
                : t('billing.none')}
            </dd>
            <dt>{t('billing.lastCharge')}</dt>
            <dd>
              {b.lastCharge
                ? `${formatMoney(b.lastCharge.amount, lang)} · ${words.memo(b.lastCharge.memoCode, b.lastCharge.memoParams)} · ${formatInstant(b.lastCharge.at, lang)}`
                : t('billing.none')}
            </dd>
            {b.minutePacks.map((p) => (
              <Fragment key={p.expiresAt}>
                <dt>{t('billing.minutesPack')}</dt>
                <dd>
                  {t('billing.minutesLeft', {
                    left: p.minutes - p.used,
                    total: p.minutes,
                    count: p.minutes,
                    date: formatInstant(p.expiresAt, lang)
                  })}
                </dd>
              </Fragment>
            ))}
          </dl>
          {b.promisedPayment && b.promisedPayment.status !== 'repaid' ? (
            <p className={b.promisedPayment.status === 'overdue' ? 'banner warn' : 'note'}>
              {t('billing.promiseTaken', {
                amount: formatMoney(b.promisedPayment.amount, lang),
                fee: formatMoney(b.promisedPayment.fee, lang),
                date: formatInstant(b.promisedPayment.dueAt, lang)
              })}
            </p>
          ) : (
            <div className="promise">
              <p className="muted">
                {b.promisedPaymentOffer.eligible
                  ? t('billing.promiseOffer', {
                      amount: formatMoney(b.promisedPaymentOffer.amount, lang),
                      fee: formatMoney(b.promisedPaymentOffer.fee, lang),
                      days: b.promisedPaymentOffer.termDays,
                      count: b.promisedPaymentOffer.termDays
                    })
                  : b.promisedPaymentOffer.why
                    ? t(`billing.promiseWhy.${b.promisedPaymentOffer.why}`, {
                        days: b.promisedPaymentOffer.minTenureDays,
                        count: b.promisedPaymentOffer.minTenureDays
                      })
                    : t('billing.promiseUnavailable', { reason: t('errors.reason.promised-not-eligible') })}
              </p>
              {b.promisedPaymentOffer.eligible && (
                <button
                  type="button"
                  className="secondary"
                  data-testid="promise-take"
                  aria-disabled={promise.pending}
                  onClick={() =>
                    void promise
                      .run()
                      .then((r) => {
                        if (!r) return
                        view.update(() => r)
                        say(
                          t('billing.promiseTakenSaid', {
                            amount: isolate(formatMoney(b.promisedPaymentOffer.amount, lang)),
                            balance: isolate(formatMoney(r.balance, lang))
                          })
                        )
                      })
                      .catch(logFailure('Balance: promise.run'))
                  }
                >
                  {t('billing.promiseTake')}
                </button>
              )}
              <FormError error={promise.error} testId="promise-error" />
            </div>
          )}
        </>
      )}
      <MinutesPacks
        onBought={(r, pack) => {
          view.update(() => r)
          say(t('minutes.boughtSaid', { name: pack.name, balance: isolate(formatMoney(r.balance, lang)) }))
        }}
      />
      <form
        noValidate
        className="form"
        aria-labelledby="topup-title"
        onSubmit={(e) => {
          e.preventDefault()
          void topUp
            .run()
            .then((r) => {
              if (!r) return
              view.update(() => r)
              setPayment(EMPTY_PAYMENT)
              say(
                t('billing.toppedUpSaid', {
                  amount: isolate(
                    formatMoney({ amountMinor: paidMinor, currency: r.balance.currency }, lang)
                  ),
                  balance: isolate(formatMoney(r.balance, lang))
                })
              )
            })
            .catch(logFailure('Balance: topUp.run'))
        }}
      >
        <h3 id="topup-title">{t('billing.topUp')}</h3>
        <Field
          label={t('billing.amount', { currency })}
          value={amount}
          onChange={setAmount}
          testId="topup-amount"
          latinDigits
          inputMode="decimal"
          dir="ltr"
          required
          error={issueFor(topUp.error, 'amountMinor')}
        />
        <PaymentFields draft={payment} onChange={setPayment} error={topUp.error} testId="topup-card" />
        <FormError error={topUp.error} testId="topup-error" />
        <button type="submit" aria-disabled={topUp.pending} data-testid="topup-submit">
          {t('billing.topUpSubmit')}
        </button>
      </form>
      <Said said={said} testId="balance-said" />
    </section>
  )
}
