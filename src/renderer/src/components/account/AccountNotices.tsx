/**
 * The overview's banners, each with the way to act on it: a line on its free trial (days left, the plans on
 * offer, "Choose a plan" takes the person to that line's renewal, and paying keeps the number); a renewal whose
 * payment failed; a saved card that expires soon or has expired. Card trouble leads to the Billing tab's cards
 * (#/account/billing), the same place main's notification and the service's emails name.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { cardExpiresAt, cardExpiry } from '../../../../shared/billing/card-expiry'
import { isolate } from '../../../../shared/i18n/bidi'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useEvent, useQuery } from '../../bridge/dialtone-context'
import { formatCardDigits, formatInstant, formatMoney } from '../../format'
import { useWords } from '../../words'
import { usePhoneNumbers } from '../../phone-numbers'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]
const DAY = 86_400_000
const CARDS_HREF = '#/account/billing'

export function AccountNotices({ lines }: { lines: readonly LineInfo[] }): React.JSX.Element {
  return (
    <>
      {lines
        .filter((l) => l.status === 'in_service')
        .map((l) => (
          <LineNotice key={l.id} line={l} />
        ))}
      <CardNotices />
    </>
  )
}

function LineNotice({ line }: { line: LineInfo }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const words = useWords()
  const lang = i18n.language
  const subQuery = useQuery('billing.subscription', { lineId: line.id })
  // Paying for the line (its renewal form, further down) ends the trial: look again.
  useEvent('account.linesChanged', subQuery.refresh)
  const sub = subQuery.data
  const plans = (useQuery('billing.plans').data?.plans ?? []).filter((p) => p.kind === 'line_service')
  const number = isolate(line.number ? phone(line.number) : '—')
  // Days left are counted from when the overview opened: a day's precision needs no ticking clock.
  const [openedAt] = useState(() => Date.now())
  if (!sub) return null
  if (sub.status === 'past_due' && sub.dunning.attempts > 0)
    return (
      <p className="banner warn" role="status" data-testid="renewal-failed-notice">
        {sub.dunning.nextAttemptAt
          ? t('alerts.renewalFailed', { number, date: formatInstant(sub.dunning.nextAttemptAt, lang) })
          : t('alerts.renewalFailedLast', { number })}{' '}
        <a href={CARDS_HREF}>{t('alerts.toCards')}</a>
      </p>
    )
  const end = sub.coverage.trialEndsAt
  if (!end) return null
  const left = Math.max(0, Math.ceil((new Date(end).getTime() - openedAt) / DAY))
  const days = new Intl.NumberFormat(lang, { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(left)
  return (
    <section className="banner warn" aria-labelledby={`trial-${line.id}`} data-testid="trial-notice">
      <h2 id={`trial-${line.id}`}>{t('trial.title')}</h2>
      <p data-testid="trial-days">
        {t('trial.endsIn', { number, days: isolate(days), date: formatInstant(end, lang) })}
      </p>
      <p>{t('trial.keepNumber', { number })}</p>
      <ul className="plain-list" data-testid="trial-plans">
        {plans.map((p) => (
          <li key={p.id}>
            {t('renewal.planPrice', {
              name: words.plan(p.code),
              price: formatMoney(p.price, lang),
              interval: t(`renewal.interval.${p.interval}`, { count: p.intervalCount })
            })}
          </li>
        ))}
      </ul>
      <button
        type="button"
        data-testid="trial-choose"
        onClick={() => {
          // The line's renewal form is further down this page: bring it into view, on its plan list.
          const select = document.getElementById(`renew-plan-${line.id}`)
          select?.scrollIntoView({ block: 'center' })
          select?.focus()
        }}
      >
        {t('trial.choose')}
      </button>
    </section>
  )
}

function CardNotices(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const cards = useQuery('billing.paymentMethods').data?.paymentMethods ?? []
  const now = new Date()
  return (
    <>
      {cards.map((c) => {
        const state = cardExpiry(c, now)
        if (state === 'ok') return null
        const words = {
          last4: isolate(formatCardDigits(c.last4, i18n.language)),
          date: formatInstant(cardExpiresAt(c.expMonth, c.expYear).toISOString(), i18n.language)
        }
        return (
          <p key={c.id} className="banner warn" role="status" data-testid="card-notice">
            {t(state === 'expired' ? 'alerts.cardExpired' : 'alerts.cardExpiring', words)}{' '}
            <a href={CARDS_HREF}>{t('alerts.toCards')}</a>
          </p>
        )
      })}
    </>
  )
}
