/**
 * Calls that never reached the phone (issue 22): the SIP server turned them away before the line rang — a number
 * the account blocked, or the line offline (the app was off) — so the app's own history cannot know them. The
 * service reads them from Kamailio's accounting; each row says who called, why it did not ring, which line and
 * when, in the person's language. Shown only when there are some; refreshed when a call ends.
 */
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { CallState } from '../../../../shared/ipc/phone'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { usePhoneNumbers } from '../../phone-numbers'

export function RefusedCalls({ phase }: { phase: CallState['phase'] }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const refused = useQuery('billing.refusedCalls')
  const { refresh } = refused
  useEffect(() => {
    if (phase === 'idle') refresh()
  }, [phase, refresh])
  const calls = refused.data?.calls ?? []
  if (calls.length === 0) return null
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const lines = new Set(calls.map((c) => c.line))
  return (
    <section className="card" aria-labelledby="refused-calls-title" data-testid="refused-calls">
      <h2 id="refused-calls-title">{t('refusedCalls.title')}</h2>
      <p className="muted">{t('refusedCalls.intro')}</p>
      <ul className="call-history">
        {calls.slice(0, 20).map((c) => (
          <li key={c.id} data-testid="refused-call-row">
            <span className="who">{c.from ? isolate(phone(c.from)) : t('refusedCalls.unknownCaller')}</span>
            <span className="muted">
              {t(`refusedCalls.why.${c.why}`)}
              {lines.size > 1 && <> · {t('refusedCalls.toLine', { line: c.line })}</>} ·{' '}
              <time dateTime={c.at}>{when.format(new Date(c.at))}</time>
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
