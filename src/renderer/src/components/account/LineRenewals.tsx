/**
 * The lines' renewals for a business's billing member: they pay for the lines (renew now, a Re-Up code) but do
 * not use them, so they see no line cards (those are the administrator's and each line's user's). One card per
 * line not closed, named as its line card is, with the renewal as their role may use it (Renewal.tsx). Without
 * it the trial notice's "Choose a plan", Help's "Where is my Re-Up code" and every "Renew" link led them to an
 * overview with nothing to renew.
 */
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { usePhoneNumbers } from '../../phone-numbers'
import { Renewal } from './Renewal'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

export function LineRenewals({ lines }: { lines: readonly LineInfo[] }): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
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
            <h2 id={`renewal-${line.id}`}>
              {line.label && <span>{line.label} · </span>}
              {line.number ? isolate(phone(line.number)) : t('lines.noNumber')}
            </h2>
            <h3>{t('renewal.title')}</h3>
            <Renewal lineId={line.id} />
          </section>
        ))}
    </>
  )
}
