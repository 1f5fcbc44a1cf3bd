/**
 * What a company (a legal-entity account) is told instead of a plan-change form: the service takes its changes
 * only by written request at the office and only from the 1st of a month (seed 003), so the app offers no form
 * the service would refuse, and names the next such 1st, counted in the account's time zone.
 */
import { useTranslation } from 'react-i18next'
import { firstOfNextMonth } from '../../../../shared/time/business-dates'
import { formatDay } from '../../format'

export function WrittenRequest({ lineId, today }: { lineId: string; today: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  return (
    <section className="form" aria-labelledby={`written-title-${lineId}`} data-testid="written-request">
      <h3 id={`written-title-${lineId}`}>{t('tariff.legalTitle')}</h3>
      <p data-testid="written-request-date">
        {t('tariff.legal', { date: formatDay(firstOfNextMonth(today), i18n.language) })}
      </p>
    </section>
  )
}
