/**
 * The monthly invoices of a business account (issue 25 part 2), for its owner, administrators and billing: each
 * with its number, month, total and issue day, downloadable as a PDF in the app's language (the same bytes every
 * time in one language) and sent again by email. An invoice never changes once issued; a correction is a new document.
 */
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { matchLanguage } from '../../../../shared/i18n/languages'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { downloadBase64 } from '../../download'
import { formatDay, formatMoney } from '../../format'
import { logFailure } from '../../log'
import { FormError } from '../Field'

export function Invoices(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const client = useDialtone()
  const invoices = useQuery('business.invoices')
  const pdf = useAction(async (invoiceId: string) => {
    const f = await client.invoke('business.invoicePdf', { invoiceId, language: matchLanguage([lang]) })
    downloadBase64(f.filename, f.contentType, f.contentBase64)
    return f
  })
  const email = useAction(async (invoiceId: string) => {
    await client.invoke('business.emailInvoice', { invoiceId })
    return invoiceId
  })
  // Each invoice's two buttons are described by its number and month, so a list of buttons tells them apart.
  const ids = useId()
  const month = (period: string): string =>
    new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
      new Date(`${period}-01T00:00:00Z`)
    )
  return (
    <section className="card" aria-labelledby="business-invoices-title" data-testid="business-invoices">
      <h2 id="business-invoices-title">{t('business.invoices.title')}</h2>
      <p className="muted">{t('business.invoices.intro')}</p>
      <FormError error={invoices.error ?? pdf.error ?? email.error} testId="business-invoices-error" />
      {invoices.data?.invoices.length === 0 && <p className="muted">{t('business.invoices.none')}</p>}
      <ul className="plain-list">
        {invoices.data?.invoices.map((inv) => (
          <li key={inv.id} data-testid="business-invoice">
            <span id={`${ids}-${inv.id}`}>
              {t('business.invoices.number', { number: isolate(inv.number) })} {month(inv.period)}
            </span>{' '}
            <strong>{isolate(formatMoney(inv.total, lang))}</strong>{' '}
            <span className="muted">
              {t('business.invoices.issued', { date: formatDay(inv.issuedAt.slice(0, 10), lang) })}
            </span>{' '}
            <button
              type="button"
              className="secondary"
              data-testid="business-invoice-pdf"
              aria-describedby={`${ids}-${inv.id}`}
              aria-disabled={pdf.pending}
              onClick={() => void pdf.run(inv.id).catch(logFailure('Invoices: pdf.run'))}
            >
              {t('business.invoices.download')}
            </button>{' '}
            <button
              type="button"
              className="secondary"
              data-testid="business-invoice-email"
              aria-describedby={`${ids}-${inv.id}`}
              aria-disabled={email.pending}
              onClick={() => void email.run(inv.id).catch(logFailure('Invoices: email.run'))}
            >
              {t('business.invoices.email')}
            </button>
          </li>
        ))}
      </ul>
      {email.data && (
        <p className="banner" role="status" data-testid="business-invoice-emailed">
          {t('business.invoices.emailed')}
        </p>
      )}
    </section>
  )
}
