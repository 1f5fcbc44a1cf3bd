/**
 * The lines' renewals for a business's billing member: they pay for the lines (renew now, a Re-Up code) but do
 * not use them, so they see no line cards (those are the administrator's and each line's user's). One card per
 * line not closed, named as its line card is, with the renewal as their role may use it (Renewal.tsx: renewing
 * now, on the plan they pay for, and a Re-Up code; not auto-renew, cancelling or scheduled changes). Without
 * it the trial notice's "Choose a plan", Help's "Where is my Re-Up code" and every "Renew" link led them to an
 * overview with nothing to renew.
 */
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { LineHeading } from './LineCard'
import { Renewal } from './Renewal'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

export function LineRenewals({ lines }: { lines: readonly LineInfo[] }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <>
      {lines
        .filter((l) => l.status !== 'closed')
        .map((line) => (
          <section
            key={line.id}
            className="card"
            aria-labelledby={`renewal-${line.id}`}
            data-testid="line-renewal-card"
          >
            <LineHeading line={line} id={`renewal-${line.id}`} />
            <h3>{t('renewal.title')}</h3>
            <Renewal lineId={line.id} />
          </section>
        ))}
    </>
  )
}
