/**
 * A line's history, opened from its card: the numbers it has had (with when and why each came) and the 911
 * addresses registered for it, newest first, the current one marked. Asked for only when opened, and asked again
 * when the card's number or 911 address changes.
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { FormError } from '../Field'
import { usePhoneNumbers } from '../../phone-numbers'
import { addressText } from '../../../../shared/numbers/address-text'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

/** The service's reasons for a number (number_history.reason) and the words for them. */
const REASONS: Record<string, string> = { activation: 'activation', 'number change': 'change' }

export function LineHistory({ line }: { line: LineInfo }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const [open, setOpen] = useState(false)
  const ask = open ? { lineId: line.id } : null
  const numbers = useQuery('account.numberHistory', ask)
  const e911 = useQuery('account.e911History', ask)
  const { refresh: refreshNumbers } = numbers
  const { refresh: refreshE911 } = e911
  const changed = `${line.number ?? ''} ${line.e911?.id ?? ''}`
  useEffect(() => {
    refreshNumbers()
    refreshE911()
  }, [changed, refreshNumbers, refreshE911])
  const day = (iso: string) => isolate(formatInstant(iso, i18n.language))
  const current = <span className="chip">{t('history.current')}</span>
  return (
    <details data-testid="line-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('history.title')}</summary>
      <h4>{t('history.numbers')}</h4>
      <ul className="plain-list" data-testid="number-history">
        {numbers.data?.history.length === 0 && <li className="muted">{t('history.none')}</li>}
        {numbers.data?.history.map((n) => (
          <li key={`${n.number}-${n.assignedAt}`} data-testid="number-history-row">
            <span>{isolate(phone(n.number))}</span>{' '}
            <span className="muted">
              {n.releasedAt
                ? t('history.range', { from: day(n.assignedAt), to: day(n.releasedAt) })
                : t('history.since', { from: day(n.assignedAt) })}
              {REASONS[n.reason] && ` · ${t(`history.reason.${REASONS[n.reason]}`)}`}
            </span>{' '}
            {n.releasedAt === null && current}
          </li>
        ))}
      </ul>
      <FormError error={numbers.error} testId="number-history-error" />
      <h4>{t('history.e911')}</h4>
      <ul className="plain-list" data-testid="e911-history">
        {e911.data?.history.length === 0 && <li className="muted">{t('history.none')}</li>}
        {e911.data?.history.map((r) => {
          const a = r.address
          return (
            <li key={r.id} data-testid="e911-history-row">
              <span>{addressText(a)}</span>{' '}
              <span className="muted">{t('history.registered', { date: day(r.registeredAt) })}</span>{' '}
              {r.id === e911.data?.current?.id && current}
            </li>
          )
        })}
      </ul>
      <FormError error={e911.error} testId="e911-history-error" />
    </details>
  )
}
