/**
 * Itemised calls for a period the person picks (this month by default): when, where to, how long, what it cost
 * and how much came from a minutes pack; a call the line forwarded out says so, with the original caller; the same
 * as a CSV or PDF file in the app's language, or sent to the preferred email.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { downloadBase64 } from '../../download'
import { formatMoney, localDay } from '../../format'
import { FormError } from '../Field'
import { formatNumber } from '../../i18n/interpolation'
import { isolate } from '../../../../shared/i18n/bidi'
import { matchLanguage } from '../../../../shared/i18n/languages'
import { logFailure } from '../../log'
import { usePhoneNumbers } from '../../phone-numbers'

export function CallDetails(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const lang = i18n.language
  const client = useDialtone()
  const [from, setFrom] = useState(() => `${localDay().slice(0, 8)}01`)
  const [to, setTo] = useState(() => localDay())
  const period = from <= to ? { from, to } : null
  const details = useQuery('billing.callDetails', period)
  // The files' words in the app's language, downloaded or emailed (the CSV's times, zone codes and amounts read
  // the same in any); without it the service would write English, or the account's language for the email.
  const language = matchLanguage([lang])
  const file = useAction(async (format: 'csv' | 'pdf') => {
    const f = await client.invoke('billing.exportCallDetails', { from, to, format, language })
    downloadBase64(f.filename, f.contentType, f.contentBase64)
    return f
  })
  const mail = useAction(() =>
    client.invoke('billing.emailCallDetails', { from, to, format: 'pdf', language })
  )
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' })
  const calls = details.data?.calls ?? []
  return (
    <section className="card" aria-labelledby="calls-title" data-testid="call-details">
      <h2 id="calls-title">{t('calls.title')}</h2>
      <div className="row-actions">
        <label>
          {t('calls.from')}{' '}
          <input
            type="date"
            value={from}
            max={to}
            onChange={(e) => setFrom(e.target.value)}
            data-testid="calls-from"
          />
        </label>
        <label>
          {t('calls.to')}{' '}
          <input
            type="date"
            value={to}
            min={from}
            onChange={(e) => setTo(e.target.value)}
            data-testid="calls-to"
          />
        </label>
        <button
          type="button"
          className="secondary"
          aria-disabled={file.pending}
          onClick={() => void file.run('csv').catch(logFailure('CallDetails: file.run'))}
          data-testid="calls-csv"
        >
          {t('calls.csv')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-disabled={file.pending}
          onClick={() => void file.run('pdf').catch(logFailure('CallDetails: file.run'))}
          data-testid="calls-pdf"
        >
          {t('calls.pdf')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-disabled={mail.pending}
          onClick={() => void mail.run().catch(logFailure('CallDetails: mail.run'))}
          data-testid="calls-email"
        >
          {t('calls.email')}
        </button>
      </div>
      {mail.data && (
        <p className="note" role="status">
          {t('calls.emailed', { email: mail.data.sentTo })}
        </p>
      )}
      <FormError error={details.error ?? file.error ?? mail.error} testId="calls-error" />
      {calls.length === 0 ? (
        <p className="muted">{t('calls.none')}</p>
      ) : (
        <table data-testid="calls-table">
          <thead>
            <tr>
              <th scope="col">{t('calls.when')}</th>
              <th scope="col">{t('calls.destination')}</th>
              <th scope="col">{t('calls.minutes')}</th>
              <th scope="col">{t('calls.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={`${c.startedAt}-${c.destination}`}>
                <td>{isolate(when.format(new Date(c.startedAt)))}</td>
                <td>
                  {isolate(phone(c.destination))}{' '}
                  {c.zone === 'international' && <span className="chip">{t('calls.intl')}</span>}
                  {c.forwardedFrom !== undefined && (
                    <div className="muted" data-testid="call-forwarded-from">
                      {c.forwardedFrom
                        ? t('forwarding.billedLeg', { caller: isolate(phone(c.forwardedFrom)) })
                        : t('forwarding.billedLegWithheld')}
                    </div>
                  )}
                </td>
                <td>
                  {isolate(formatNumber(c.billedMinutes, lang))}
                  {c.packMinutes > 0 && (
                    <span className="muted"> ({t('calls.fromPack', { minutes: c.packMinutes })})</span>
                  )}
                </td>
                <td>{isolate(formatMoney(c.amount, lang))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
