/**
 * A line's history of service switches (issue 25 part 1): when, which service, on or off, and what it charged or
 * gave back. Folded by default; read again after each switch (`generation`).
 */
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { formatInstant, formatMoney } from '../../format'
import { FormError } from '../Field'

export function ServiceHistory({
  lineId,
  generation
}: {
  lineId: string
  generation: number
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const history = useQuery('services.history', { lineId })
  const { refresh } = history
  useEffect(() => {
    if (generation > 0) refresh()
  }, [generation, refresh])
  const switches = history.data?.switches ?? []
  return (
    <details data-testid="service-history">
      <summary>{t('services.history.title')}</summary>
      <FormError error={history.error} testId="service-history-error" />
      {history.data && switches.length === 0 && <p className="muted">{t('services.history.empty')}</p>}
      {switches.length > 0 && (
        <ul className="plain-list">
          {switches.map((s) => (
            <li key={s.id} data-testid="service-history-item">
              {t(
                s.enabled
                  ? 'services.history.on'
                  : s.reason
                    ? `services.history.off-${s.reason}`
                    : 'services.history.off',
                {
                  service: t(`services.feature.${s.feature}`),
                  at: isolate(formatInstant(s.at, lang)),
                  amount: isolate(formatMoney(s.amount, lang))
                }
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}
