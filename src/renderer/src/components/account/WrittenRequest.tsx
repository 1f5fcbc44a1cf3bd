/**
 * What a company (a legal-entity account) is told instead of a plan-change form: the service takes its changes
 * only by written request and only from the 1st of a month (seed 003), so the app offers no form the service
 * would refuse, names the next such 1st, counted in the account's time zone, and leads to where the request is
 * written: the support form on Help, begun with this line and that date (../help/support-draft.ts).
 */
import { useTranslation } from 'react-i18next'
import { firstOfNextMonth } from '../../../../shared/time/business-dates'
import { formatDay } from '../../format'
import { draftHref } from '../help/support-draft'

export function WrittenRequest({ lineId, today }: { lineId: string; today: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const date = firstOfNextMonth(today)
  return (
    <section className="form" aria-labelledby={`written-title-${lineId}`} data-testid="written-request">
      <h3 id={`written-title-${lineId}`}>{t('tariff.legalTitle')}</h3>
      <p data-testid="written-request-date">{t('tariff.legal', { date: formatDay(date, i18n.language) })}</p>
      <p>
        <a href={draftHref({ kind: 'plan-change', lineId, date })} data-testid="written-request-write">
          {t('help.draft.write')}
        </a>
      </p>
    </section>
  )
}
