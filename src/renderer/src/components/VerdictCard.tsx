/**
 * One verdict: what is wrong (or right), why, the fix, and the raw evidence behind it for technicians. The words
 * are the app's translation of the verdict code (English equals src/shared/diagnostics/verdicts.ts, checked by a
 * test); the evidence stays as the system wrote it. A fix done in the app links to its place (verdict-place.ts:
 * the access rule to the setup, a report for a ticket to Help).
 */
import { useTranslation } from 'react-i18next'
import type { Verdict } from '../../../shared/diagnostics/verdicts'
import { VERDICT_PLACES } from './verdict-place'

export function VerdictCard({ verdict }: { verdict: Verdict }): React.JSX.Element {
  const { t } = useTranslation()
  const place = VERDICT_PLACES[verdict.code]
  return (
    <section
      className={`verdict ${verdict.severity}`}
      data-testid={`verdict-${verdict.code}`}
      aria-label={t(`verdict.${verdict.code}.title`)}
    >
      <h3>
        {/* The card's colour says how serious it is; so do these words, for whoever cannot see the colour. */}
        <span className={`chip severity-${verdict.severity}`} data-testid="verdict-severity">
          {t(`diagnostics.severity.${verdict.severity}`)}
        </span>{' '}
        {t(`verdict.${verdict.code}.title`)}
      </h3>
      <p>
        <strong>{t('diagnostics.why')}:</strong> {t(`verdict.${verdict.code}.cause`)}
      </p>
      <p>
        <strong>{t('diagnostics.fixLabel')}:</strong> {t(`verdict.${verdict.code}.fix`)}
      </p>
      {place && (
        // "Setup offers to" is the wizard on the Device page; "attach the report to the ticket" is Help.
        <p>
          <a href={place.href} data-testid={place.testId}>
            {t(place.label)}
          </a>
        </p>
      )}
      {verdict.evidence.length > 0 && (
        <details>
          <summary>{t('diagnostics.evidence')}</summary>
          <pre dir="ltr" lang="en">
            {verdict.evidence.join('\n')}
          </pre>
        </details>
      )}
    </section>
  )
}
