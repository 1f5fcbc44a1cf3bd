/**
 * Cancelling and resuming a line's subscription, in its renewal part. Before the cancel is confirmed the
 * consequence is said (seed 004): nothing renews, service runs to the end of the paid period, and half price for
 * life is lost then, unless the person resumes before that day. Afterwards the state is shown (ends on DATE) with
 * Resume while it still keeps the discount. A cancel after failed payments is said for what it is: the discount
 * is gone for good and the way back is renewing. Refusals (already canceled elsewhere, resuming after the period
 * ended) come back from the service in words.
 */
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { FormError } from '../Field'
import { logFailure } from '../../log'
import { useQuestionFocus } from '../../question-focus'
import type { Subscription } from './Renewal'

export function CancelSubscription({
  lineId,
  sub,
  onChange
}: {
  lineId: string
  sub: Subscription
  onChange: (s: Subscription) => void
}): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const [asking, setAsking] = useState(false)
  const [resumed, setResumed] = useState(false)
  const cancelButton = useRef<HTMLButtonElement>(null)
  const keepButton = useRef<HTMLButtonElement>(null)
  // Hooks before the early returns below.
  useQuestionFocus(asking, keepButton, cancelButton)
  const cancel = useAction(() => client.invoke('billing.cancelSubscription', { lineId }))
  const resume = useAction(() => client.invoke('billing.resumeSubscription', { lineId }))
  const through = sub.coverage.paidThrough
  const date = through ? formatInstant(through, i18n.language) : ''
  const keepsDiscount = sub.discount !== null && sub.discount.status !== 'ended'
  const after = (s: Subscription | undefined): void => {
    if (s) onChange(s)
  }

  if (sub.status === 'canceled' && sub.cancelReason === 'dunning')
    return (
      <p className="banner warn" data-testid="subscription-dunning">
        {t('subscription.dunning')}
      </p>
    )

  // The paid period is over: nothing is left to resume, and the way back is renewing (the discount is gone).
  if (sub.status === 'canceled' && !['active', 'expiring_soon'].includes(sub.coverage.state))
    return (
      <p className="banner warn" data-testid="subscription-ended">
        {t('subscription.ended', { date })}
      </p>
    )

  if (sub.status === 'canceled')
    return (
      <div className="cancel-subscription" data-testid="subscription-canceled">
        <p>
          <strong>{t('subscription.canceled', { date })}</strong>
        </p>
        {keepsDiscount && <p className="muted">{t('subscription.resumeKeeps', { date })}</p>}
        <FormError error={resume.error} testId="subscription-resume-error" />
        <button
          type="button"
          data-testid="subscription-resume"
          aria-disabled={resume.pending}
          onClick={() =>
            void resume
              .run()
              .then((s) => {
                setResumed(Boolean(s))
                after(s)
              })
              .catch(logFailure('CancelSubscription: resume.run'))
          }
        >
          {t('subscription.resume')}
        </button>
      </div>
    )

  // Only a subscription can be canceled: a line on its trial or without a plan has nothing that renews.
  if (sub.status !== 'active' && sub.status !== 'past_due') return null
  return (
    <div className="cancel-subscription" data-testid="subscription-active">
      {resumed && (
        <p className="note" role="status" data-testid="subscription-resumed">
          {t('subscription.resumed')}
        </p>
      )}
      {!asking ? (
        <button
          type="button"
          className="secondary"
          data-testid="subscription-cancel"
          ref={cancelButton}
          onClick={() => {
            setResumed(false)
            setAsking(true)
          }}
        >
          {t('subscription.cancel')}
        </button>
      ) : (
        <div
          className="form"
          role="group"
          aria-labelledby={`cancel-ask-${lineId}`}
          data-testid="subscription-cancel-ask"
        >
          <p id={`cancel-ask-${lineId}`}>
            <strong>{t('subscription.cancelAsk')}</strong>
          </p>
          <p>{through ? t('subscription.cancelWhat', { date }) : t('subscription.cancelNow')}</p>
          {keepsDiscount && through && (
            <p className="banner warn" data-testid="subscription-cancel-discount">
              {t('subscription.cancelDiscount', { date, percent: sub.discount?.percentOff ?? 50 })}
            </p>
          )}
          <FormError error={cancel.error} testId="subscription-cancel-error" />
          <div className="row-actions">
            <button
              type="button"
              className="danger"
              data-testid="subscription-cancel-confirm"
              aria-disabled={cancel.pending}
              onClick={() =>
                void cancel
                  .run()
                  .then((s) => {
                    if (s) setAsking(false)
                    after(s)
                  })
                  .catch(logFailure('CancelSubscription: cancel.run'))
              }
            >
              {t('subscription.cancelConfirm')}
            </button>
            <button
              type="button"
              className="secondary"
              data-testid="subscription-keep"
              ref={keepButton}
              onClick={() => setAsking(false)}
            >
              {t('subscription.keep')}
            </button>
          </div>
        </div>
      )}
    </div>
  )
}
