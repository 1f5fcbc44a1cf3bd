/**
 * A line's service and its renewal: the plan, how long it is paid for, the half-price discount and what would
 * lose it, auto-renew with the conditions that keep it from working, renewing now by card, a Re-Up code, and a
 * plan change previewed (proration, date, discount) before the person confirms it.
 */
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { Allowed } from '../business/role'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { formatDay, formatInstant, formatMoney } from '../../format'
import { useWords } from '../../words'
import { FormError } from '../Field'
import { AutoRenew } from './AutoRenew'
import { CancelSubscription } from './CancelSubscription'
import { PlanChange } from './PlanChange'
import { RenewNow } from './RenewNow'
import { TariffSubscribe } from './TariffSubscribe'
import { VoucherForm } from './VoucherForm'
import { ShopFinder } from '../help/ShopFinder'
import { draftHref } from '../help/support-draft'
import { logFailure } from '../../log'

export type Subscription = ResponseOf<'billing.subscription'>
export type Plan = ResponseOf<'billing.plans'>['plans'][number]

export function Renewal({ lineId }: { lineId: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const words = useWords()
  const lang = i18n.language
  const client = useDialtone()
  const sub = useQuery('billing.subscription', { lineId })
  const plans = useQuery('billing.plans').data?.plans ?? []
  const { update, refresh } = sub
  const changed = useCallback((s: Subscription) => update(() => s), [update])
  const cancel = useAction(() => client.invoke('billing.cancelPlanChange', { lineId }))
  // A company withdraws a change the way it asked for it: by written request (seed 003), begun on Help.
  // The account acted for (business.me), not the person's own sign-in (a member's is an individual's).
  const company = useQuery('business.me').data?.accountType === 'legal_entity'
  const s = sub.data
  if (!s) return <FormError error={sub.error} testId="renewal-error" />
  const d = s.discount

  return (
    <div className="renewal" data-testid="renewal">
      <dl className="facts">
        <dt>{t('renewal.plan')}</dt>
        <dd data-testid="renewal-plan">
          {s.plan
            ? t('renewal.planPrice', {
                name: words.plan(s.plan.code),
                price: formatMoney(s.plan.price, lang),
                interval: t(`renewal.interval.${s.plan.interval}`, { count: s.plan.intervalCount })
              })
            : t('renewal.noPlan')}
        </dd>
        <dt>{t('renewal.coverage')}</dt>
        <dd data-testid="renewal-coverage">
          <span className={`chip coverage-${s.coverage.state}`}>
            {t(`renewal.state.${s.coverage.state}`)}
          </span>{' '}
          {s.coverage.paidThrough &&
            t('renewal.paidThrough', { date: formatInstant(s.coverage.paidThrough, lang) })}
        </dd>
        {d && (
          <>
            <dt>{t('renewal.discount')}</dt>
            <dd data-testid="renewal-discount">
              <strong>{t(`renewal.discountKind.${d.kind}`)}</strong>{' '}
              {t(`renewal.discountStatus.${d.status}`, {
                percent: d.percentOff,
                date: d.endsAt ? formatInstant(d.endsAt, lang) : ''
              })}
              {d.endedReason && ` ${t(`renewal.discountReason.${d.endedReason}`)}`}
              {d.status === 'active' && <span className="muted"> {t('renewal.discountKeep')}</span>}
              {d.status === 'active' && (
                <span className="muted" data-testid="renewal-discount-loses">
                  {' '}
                  {t('renewal.discountLoses')}
                </span>
              )}
            </dd>
          </>
        )}
        {s.pendingChange && s.pendingChange.status === 'scheduled' && (
          <>
            <dt>{t('renewal.pending')}</dt>
            <dd data-testid="renewal-pending">
              {t('renewal.pendingChange', {
                plan: words.plan(s.pendingChange.toPlanId.split('@')[0] ?? ''),
                date: formatDay(s.pendingChange.effectiveDate, lang)
              })}{' '}
              {company ? (
                <>
                  <span className="muted" data-testid="renewal-pending-written">
                    {t('renewal.pendingWritten')}
                  </span>{' '}
                  <a
                    href={draftHref({
                      kind: 'withdraw-change',
                      lineId,
                      date: s.pendingChange.effectiveDate
                    })}
                    data-testid="renewal-pending-write"
                  >
                    {t('help.draft.write')}
                  </a>
                </>
              ) : (
                <Allowed routes={['cancelPlanChange']}>
                  <button
                    type="button"
                    className="secondary"
                    aria-disabled={cancel.pending}
                    onClick={() =>
                      void cancel
                        .run()
                        .then((ok) => ok && refresh())
                        .catch(logFailure('Renewal: cancel.run'))
                    }
                  >
                    {t('renewal.cancelChange')}
                  </button>
                </Allowed>
              )}
            </dd>
          </>
        )}
      </dl>
      <FormError error={cancel.error} testId="cancel-change-error" />
      {/* Auto-renew, cancelling and plan changes are the administrator's; paying is also billing's (issue 25). */}
      <Allowed routes={['setAutoRenew']}>
        <AutoRenew lineId={lineId} sub={s} onChange={changed} />
      </Allowed>
      <Allowed routes={['cancelSubscription']}>
        <CancelSubscription lineId={lineId} sub={s} onChange={changed} />
      </Allowed>
      <Allowed routes={['checkout']}>
        <RenewNow lineId={lineId} sub={s} plans={plans} onPaid={refresh} />
      </Allowed>
      <Allowed routes={['redeemVoucher']}>
        <VoucherForm lineId={lineId} onRedeemed={refresh} />
        <ShopFinder compact />
      </Allowed>
      <Allowed routes={['previewPlanChange']}>
        {s.plan && <PlanChange lineId={lineId} current={s.plan} plans={plans} onScheduled={refresh} />}
      </Allowed>
      <Allowed routes={['subscribeTariff']}>
        <TariffSubscribe lineId={lineId} sub={s} plans={plans} onSubscribed={refresh} />
      </Allowed>
    </div>
  )
}
