/** One verdict: what is wrong (or right), why, the fix, and the raw evidence behind it for technicians. */
import { useTranslation } from 'react-i18next'
import type { Verdict } from '../../../shared/diagnostics/verdicts'

export function VerdictCard({ verdict }: { verdict: Verdict }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section
      className={`verdict ${verdict.severity}`}
      data-testid={`verdict-${verdict.code}`}
      aria-label={verdict.title}
    >
      <h3>{verdict.title}</h3>
      <p>
        <strong>{t('diagnostics.why')}:</strong> {verdict.cause}
      </p>
      <p>
        <strong>{t('diagnostics.fixLabel')}:</strong> {verdict.fix}
      </p>
      {verdict.evidence.length > 0 && (
        <details>
          <summary>{t('diagnostics.evidence')}</summary>
          <pre dir="ltr">{verdict.evidence.join('\n')}</pre>
        </details>
      )}
    </section>
  )
}
