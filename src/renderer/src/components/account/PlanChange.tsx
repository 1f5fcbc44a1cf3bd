/**
 * Changing a line's plan: pick the plan and (where the plan allows an immediate change) the day, see the
 * preview the service computes — credit for the unused time, the new plan's charge, the net, the discount's
 * fate — and only then confirm. The date picker starts at the earliest day the rules allow, counted from the
 * account's today in its time zone; a plan that changes only at the end of the term shows that date instead of a
 * picker. A line on a monthly tariff gets "Change tariff" (TariffChange.tsx); a company gets no form at all, as
 * the service takes its changes only by written request (WrittenRequest.tsx). The amount to pay and a discount
 * lost are said when they change (a status region beside the preview): shown alone, they appeared silently.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { addLocalDays } from '../../../../shared/time/business-dates'
import { formatDay, formatMoney } from '../../format'
import { useWords } from '../../words'
import { FormError } from '../Field'
import type { Plan } from './Renewal'
import { isolate } from '../../../../shared/i18n/bidi'
import { logFailure } from '../../log'
import { TariffChange } from './TariffChange'
import { WrittenRequest } from './WrittenRequest'
import { Said, useSaidOnChange } from '../Said'

interface Props {
  lineId: string
  current: Plan
  plans: readonly Plan[]
  onScheduled: () => void
}

export function PlanChange(props: Props): React.JSX.Element | null {
  const profile = useQuery('account.profile').data
  // The account acted for (a member's own sign-in is an individual's): a company asks for changes in writing.
  const me = useQuery('business.me').data
  if (!profile || !me) return null
  if (me.accountType === 'legal_entity') return <WrittenRequest lineId={props.lineId} today={profile.today} />
  if (props.current.kind === 'monthly_tariff')
    return <TariffChange {...props} today={profile.today} zone={profile.timeZone} />
  return <PlanChangeForm {...props} today={profile.today} />
}

function PlanChangeForm({
  lineId,
  current,
  plans,
  onScheduled,
  today
}: Props & { today: string }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const words = useWords()
  const lang = i18n.language
  const client = useDialtone()
  const targets = plans.filter((p) => p.kind === current.kind && p.code !== current.code)
  const [toPlanId, setToPlanId] = useState('')
  const to = targets.find((p) => p.id === toPlanId)
  const earliest = addLocalDays(
    today,
    Math.max(current.minEffectiveDelayDays, to?.minEffectiveDelayDays ?? 0)
  )
  const [date, setDate] = useState('')
  const pickDate = to?.changePolicy === 'immediate'
  const effectiveDate = pickDate ? date || earliest : undefined
  const request = to ? { lineId, toPlanId: to.id, ...(effectiveDate ? { effectiveDate } : {}) } : null
  const preview = useQuery('billing.previewPlanChange', request)
  const [done, setDone] = useState(false)
  const schedule = useAction(() =>
    request ? client.invoke('billing.schedulePlanChange', request) : Promise.resolve(undefined)
  )
  const p = preview.data
  const lost = p?.discountEffect.startsWith('lost') === true
  const said = useSaidOnChange(
    p
      ? `${p.proration ? `${p.proration.net.amountMinor} ${p.proration.net.currency}` : 'none'} ${p.discountEffect}`
      : null,
    p
      ? [
          p.proration
            ? t('renewal.netSaid', { amount: formatMoney(p.proration.net, lang) })
            : t('renewal.noProration'),
          lost ? t(`renewal.discountEffect.${p.discountEffect}`) : ''
        ]
          .filter(Boolean)
          .join(' ')
      : ''
  )
  if (targets.length === 0) return null
  return (
    <form
      noValidate
      className="form"
      aria-labelledby={`change-title-${lineId}`}
      data-testid="plan-change"
      onSubmit={(e) => {
        e.preventDefault()
        void schedule
          .run()
          .then((r) => {
            if (!r) return
            setDone(true)
            onScheduled()
          })
          .catch(logFailure('PlanChange: schedule.run'))
      }}
    >
      <h3 id={`change-title-${lineId}`}>{t('renewal.changeTitle')}</h3>
      <label htmlFor={`change-plan-${lineId}`}>{t('renewal.changeTo')}</label>
      <select
        id={`change-plan-${lineId}`}
        data-testid="change-plan"
        value={toPlanId}
        onChange={(e) => {
          setToPlanId(e.target.value)
          setDone(false)
        }}
      >
        <option value="">{t('renewal.changeNone')}</option>
        {targets.map((plan) => (
          <option key={plan.id} value={plan.id}>
            {words.plan(plan.code)} · {formatMoney(plan.price, lang)}
          </option>
        ))}
      </select>
      {pickDate && (
        <>
          <label htmlFor={`change-date-${lineId}`}>{t('renewal.changeDate')}</label>
          <input
            id={`change-date-${lineId}`}
            type="date"
            data-testid="change-date"
            min={earliest}
            value={date || earliest}
            onChange={(e) => setDate(e.target.value)}
          />
        </>
      )}
      <FormError error={preview.error} testId="change-preview-error" />
      {p && (
        <div className="preview" data-testid="change-preview">
          <p>
            {t(`renewal.direction.${p.direction}`, {
              from: words.plan(p.fromPlan.code),
              to: words.plan(p.toPlan.code),
              date: formatDay(p.effectiveDate, lang)
            })}
          </p>
          {p.proration ? (
            <dl className="facts">
              <dt>{t('renewal.credit')}</dt>
              <dd>{isolate(formatMoney(p.proration.credit, lang))}</dd>
              <dt>{t('renewal.charge')}</dt>
              <dd>{isolate(formatMoney(p.proration.charge, lang))}</dd>
              <dt>{t('renewal.net')}</dt>
              <dd data-testid="change-net">{isolate(formatMoney(p.proration.net, lang))}</dd>
            </dl>
          ) : (
            <p className="muted">{t('renewal.noProration')}</p>
          )}
          <p className={lost ? 'banner warn' : 'muted'} data-testid="change-discount">
            {t(`renewal.discountEffect.${p.discountEffect}`)}
          </p>
          {p.notices.map((n) => (
            <p key={n.code} className="note">
              {words.notice(n.code, n.params)}
            </p>
          ))}
        </div>
      )}
      <Said said={said} look="unseen" testId="change-preview-said" />
      <FormError error={schedule.error} testId="change-error" />
      {done && (
        <p className="note" role="status" data-testid="change-done">
          {t('renewal.changeScheduled')}
        </p>
      )}
      <button type="submit" disabled={!p || schedule.pending} data-testid="change-confirm">
        {t('renewal.changeConfirm')}
      </button>
    </form>
  )
}
