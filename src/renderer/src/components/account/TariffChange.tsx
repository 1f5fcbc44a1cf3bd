/**
 * "Change tariff" for a line on a monthly tariff (seed 003, the Mega-Line rules): the current tariff, the new
 * one, the day of the change — the picker starts at the earliest day the rules allow, counted in the account's
 * time zone from the service's today — and the rules said before anything is refused (at most one change in 10
 * days; the change happens on its date whatever the balance). The service's preview shows the credit for the old
 * tariff's unused days, the new tariff's charge for the rest of the month (1100 / 30 x 12 = 440) and the net, and
 * what the balance must hold on the day; when today's balance cannot hold it, the person is told by how much and
 * must say they accept before the change is scheduled. A refusal (too early, inside 10 days) shows by the date.
 * The net and a shortfall are said when they change (a status region beside the preview), not only drawn.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { addLocalDays } from '../../../../shared/time/business-dates'
import { isolate } from '../../../../shared/i18n/bidi'
import { formatDay, formatMoney } from '../../format'
import { useWords } from '../../words'
import { Field, FormError, issueFor } from '../Field'
import { logFailure } from '../../log'
import type { Plan } from './Renewal'
import { Said, useSaidOnChange } from '../Said'

/** Plans change at most once in this many days (the service's MIN_DAYS_BETWEEN_CHANGES, said up front). */
export const TARIFF_CHANGE_DAYS = 10

export function TariffChange({
  lineId,
  current,
  plans,
  today,
  zone,
  onScheduled
}: {
  lineId: string
  current: Plan
  plans: readonly Plan[]
  /** The account's today (the service's clock, in the account's zone). */
  today: string
  zone: string
  onScheduled: () => void
}): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const words = useWords()
  const lang = i18n.language
  const client = useDialtone()
  const targets = plans.filter((p) => p.kind === 'monthly_tariff' && p.code !== current.code)
  const [toPlanId, setToPlanId] = useState('')
  const to = targets.find((p) => p.id === toPlanId)
  const earliest = addLocalDays(
    today,
    Math.max(current.minEffectiveDelayDays, to?.minEffectiveDelayDays ?? 0)
  )
  const [date, setDate] = useState('')
  const effectiveDate = date || earliest
  const request = to ? { lineId, toPlanId: to.id, effectiveDate } : null
  const preview = useQuery('billing.previewPlanChange', request)
  const balance = useQuery('billing.balance')
  const [accept, setAccept] = useState(false)
  const [problem, setProblem] = useState<'choose' | 'accept' | null>(null)
  const [done, setDone] = useState(false)
  const schedule = useAction(() =>
    request ? client.invoke('billing.schedulePlanChange', request) : Promise.resolve(undefined)
  )
  const p = preview.data?.effectiveDate === effectiveDate ? preview.data : undefined
  const charge = p?.proration?.charge
  const held = balance.data?.balance
  const shortMinor = charge && held ? charge.amountMinor - held.amountMinor : 0
  const short =
    p && held && shortMinor > 0
      ? t('tariff.short', {
          balance: isolate(formatMoney(held, lang)),
          amount: isolate(formatMoney({ amountMinor: shortMinor, currency: held.currency }, lang)),
          date: formatDay(p.effectiveDate, lang)
        })
      : ''
  const net = p?.proration?.net
  // Nothing while the balance the sentence weighs is still being read: one sentence per preview, not the net
  // alone and then again with its shortfall.
  const said = useSaidOnChange(
    net && balance.loading
      ? undefined
      : net
        ? `${net.amountMinor} ${net.currency} ${Math.max(0, shortMinor)}`
        : null,
    net
      ? [t('tariff.netSaid', { amount: isolate(formatMoney(net, lang)) }), short].filter(Boolean).join(' ')
      : ''
  )
  if (targets.length === 0) return null
  const dateIssue = issueFor(schedule.error, 'effectiveDate') ?? issueFor(preview.error, 'effectiveDate')
  const otherError = dateIssue ? undefined : (schedule.error ?? preview.error)
  return (
    <form
      noValidate
      className="form"
      aria-labelledby={`tariff-title-${lineId}`}
      data-testid="tariff-change"
      onSubmit={(e) => {
        e.preventDefault()
        setDone(false)
        if (!to) return setProblem('choose')
        if (shortMinor > 0 && !accept) return setProblem('accept')
        setProblem(null)
        void schedule
          .run()
          .then((r) => {
            if (!r) return
            setDone(true)
            setToPlanId('')
            setDate('')
            setAccept(false)
            onScheduled()
          })
          .catch(logFailure('TariffChange: schedule.run'))
      }}
    >
      <h3 id={`tariff-title-${lineId}`}>{t('tariff.changeTitle')}</h3>
      <dl className="facts">
        <dt>{t('tariff.current')}</dt>
        <dd data-testid="tariff-current">
          {t('tariff.perMonth', { name: words.plan(current.code), price: formatMoney(current.price, lang) })}
        </dd>
      </dl>
      <p className="muted" data-testid="tariff-rules">
        {t('tariff.rules', { days: TARIFF_CHANGE_DAYS, count: TARIFF_CHANGE_DAYS })}
      </p>
      <label htmlFor={`tariff-plan-${lineId}`}>{t('tariff.new')}</label>
      <select
        id={`tariff-plan-${lineId}`}
        data-testid="tariff-plan"
        value={toPlanId}
        aria-invalid={problem === 'choose' ? true : undefined}
        aria-describedby={problem === 'choose' ? `tariff-plan-error-${lineId}` : undefined}
        onChange={(e) => {
          setToPlanId(e.target.value)
          setProblem(null)
          setDone(false)
        }}
      >
        <option value="">{t('tariff.chooseNone')}</option>
        {targets.map((plan) => (
          <option key={plan.id} value={plan.id}>
            {t('tariff.perMonth', { name: words.plan(plan.code), price: formatMoney(plan.price, lang) })}
          </option>
        ))}
      </select>
      {problem === 'choose' && (
        <p id={`tariff-plan-error-${lineId}`} className="field-error" data-testid="tariff-plan-missing">
          {t('tariff.chooseRequired')}
        </p>
      )}
      <Field
        label={t('tariff.date')}
        type="date"
        value={effectiveDate}
        min={earliest}
        onChange={(v) => {
          setDate(v)
          setDone(false)
        }}
        testId="tariff-date"
        hint={t('tariff.earliest', { date: formatDay(earliest, lang), zone: isolate(zone) })}
        error={dateIssue}
      />
      {p?.proration && (
        <div className="preview" data-testid="tariff-preview">
          <dl className="facts">
            <dt>{t('tariff.credit', { plan: words.plan(p.fromPlan.code) })}</dt>
            <dd data-testid="tariff-credit">{isolate(formatMoney(p.proration.credit, lang))}</dd>
            <dt>{t('tariff.charge', { plan: words.plan(p.toPlan.code) })}</dt>
            <dd data-testid="tariff-charge">{isolate(formatMoney(p.proration.charge, lang))}</dd>
            <dt>{t('tariff.net')}</dt>
            <dd data-testid="tariff-net">{isolate(formatMoney(p.proration.net, lang))}</dd>
          </dl>
          <p data-testid="tariff-must-hold">
            {t('tariff.mustHold', {
              date: formatDay(p.effectiveDate, lang),
              amount: isolate(formatMoney(p.proration.charge, lang))
            })}
          </p>
          {held && (
            <p className={shortMinor > 0 ? 'banner warn' : 'muted'} data-testid="tariff-balance">
              {shortMinor > 0 ? short : t('tariff.enough', { balance: isolate(formatMoney(held, lang)) })}
            </p>
          )}
          {shortMinor > 0 && (
            <>
              <label className="inline">
                <input
                  type="checkbox"
                  data-testid="tariff-accept-short"
                  checked={accept}
                  aria-invalid={problem === 'accept' ? true : undefined}
                  aria-describedby={problem === 'accept' ? `tariff-accept-error-${lineId}` : undefined}
                  onChange={(e) => {
                    setAccept(e.target.checked)
                    setProblem(null)
                  }}
                />
                {t('tariff.acceptShort')}
              </label>
              {problem === 'accept' && (
                <p
                  id={`tariff-accept-error-${lineId}`}
                  className="field-error"
                  data-testid="tariff-accept-error"
                >
                  {t('tariff.acceptRequired')}
                </p>
              )}
            </>
          )}
          {p.notices.map((n) => (
            <p key={n.code} className="note">
              {words.notice(n.code, n.params)}
            </p>
          ))}
        </div>
      )}
      <Said said={said} look="unseen" testId="tariff-preview-said" />
      <FormError error={otherError} testId="tariff-error" />
      {done && (
        <p className="note" role="status" data-testid="tariff-done">
          {t('tariff.scheduled')}
        </p>
      )}
      <button type="submit" aria-disabled={schedule.pending} data-testid="tariff-schedule">
        {t('tariff.schedule')}
      </button>
    </form>
  )
}
