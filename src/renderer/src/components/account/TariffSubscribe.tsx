/**
 * Putting a line on a monthly tariff (seed 003's model): the tariff is paid from the balance, the rest of this
 * month now (fixed 30 days) and each following month on its 1st, whatever the balance. Shown for a line with no
 * plan yet (a trial) or a canceled one; a line already on a plan changes it in "Change tariff" instead.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatMoney } from '../../format'
import { useWords } from '../../words'
import { FormError, IssueText, issueFor } from '../Field'
import { logFailure } from '../../log'
import type { Plan, Subscription } from './Renewal'

export function TariffSubscribe({
  lineId,
  sub,
  plans,
  onSubscribed
}: {
  lineId: string
  sub: Subscription
  plans: readonly Plan[]
  onSubscribed: () => void
}): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const words = useWords()
  const client = useDialtone()
  const tariffs = plans.filter((p) => p.kind === 'monthly_tariff')
  const [planId, setPlanId] = useState('')
  const [missing, setMissing] = useState(false)
  const subscribe = useAction(() => client.invoke('billing.subscribeTariff', { lineId, planId }))
  if (tariffs.length === 0 || (sub.status !== 'none' && sub.status !== 'canceled')) return null
  const fieldIssue = issueFor(subscribe.error, 'planId')
  return (
    <form
      noValidate
      className="form"
      aria-labelledby={`tariff-sub-title-${lineId}`}
      data-testid="tariff-subscribe"
      onSubmit={(e) => {
        e.preventDefault()
        setMissing(planId === '')
        if (planId === '') return
        void subscribe
          .run()
          .then((r) => r !== undefined && onSubscribed())
          .catch(logFailure('TariffSubscribe: subscribe.run'))
      }}
    >
      <h3 id={`tariff-sub-title-${lineId}`}>{t('tariff.subscribeTitle')}</h3>
      <p className="muted">{t('tariff.subscribeIntro')}</p>
      <label htmlFor={`tariff-sub-plan-${lineId}`}>{t('tariff.choose')}</label>
      <select
        id={`tariff-sub-plan-${lineId}`}
        data-testid="tariff-subscribe-plan"
        value={planId}
        aria-invalid={missing || fieldIssue ? true : undefined}
        aria-describedby={missing || fieldIssue ? `tariff-sub-error-${lineId}` : undefined}
        onChange={(e) => {
          setPlanId(e.target.value)
          setMissing(false)
        }}
      >
        <option value="">{t('tariff.chooseNone')}</option>
        {tariffs.map((p) => (
          <option key={p.id} value={p.id}>
            {t('tariff.perMonth', { name: words.plan(p.code), price: formatMoney(p.price, i18n.language) })}
          </option>
        ))}
      </select>
      {missing ? (
        <p id={`tariff-sub-error-${lineId}`} className="field-error" data-testid="tariff-subscribe-missing">
          {t('tariff.chooseRequired')}
        </p>
      ) : (
        <IssueText issue={fieldIssue} id={`tariff-sub-error-${lineId}`} />
      )}
      {!fieldIssue && <FormError error={subscribe.error} testId="tariff-subscribe-error" />}
      <button type="submit" aria-disabled={subscribe.pending} data-testid="tariff-subscribe-submit">
        {t('tariff.subscribe')}
      </button>
    </form>
  )
}
