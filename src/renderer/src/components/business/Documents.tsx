/**
 * Documents a business asks Dialtone for (issue 25 part 2): a signed statement of a period, with a note. The
 * request waits for an operator; once fulfilled it is emailed and downloadable here. A period the service refuses
 * (reversed, longer than a year) is said under its field and nothing is asked.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { downloadBase64 } from '../../download'
import { formatDay, localDay } from '../../format'
import { logFailure } from '../../log'
import { Field, FormError, issueFor } from '../Field'

export function Documents(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const client = useDialtone()
  const docs = useQuery('business.documents')
  const [from, setFrom] = useState(() => `${localDay().slice(0, 8)}01`)
  const [to, setTo] = useState(() => localDay())
  const [note, setNote] = useState('')
  const ask = useAction(() =>
    client.invoke('business.requestDocument', {
      kind: 'signed-statement',
      from,
      to,
      ...(note.trim() ? { note } : {})
    })
  )
  // Each "Download" is described by the statement's period, so a list of buttons tells them apart.
  const ids = useId()
  const file = useAction(async (requestId: string) => {
    const f = await client.invoke('business.documentFile', { requestId })
    downloadBase64(f.filename, f.contentType, f.contentBase64)
    return f
  })
  return (
    <section className="card" aria-labelledby="business-documents-title" data-testid="business-documents">
      <h2 id="business-documents-title">{t('business.documents.title')}</h2>
      <p className="muted">{t('business.documents.intro')}</p>
      <form
        noValidate
        className="form row-actions"
        aria-labelledby="business-documents-title"
        onSubmit={(e) => {
          e.preventDefault()
          void ask
            .run()
            .then((r) => {
              if (!r) return
              docs.update(() => r)
              setNote('')
            })
            .catch(logFailure('Documents: ask.run'))
        }}
      >
        <Field
          label={t('business.documents.from')}
          type="date"
          value={from}
          onChange={setFrom}
          testId="business-document-from"
          dir="ltr"
          error={issueFor(ask.error, 'from')}
        />
        <Field
          label={t('business.documents.to')}
          type="date"
          value={to}
          onChange={setTo}
          testId="business-document-to"
          dir="ltr"
          error={issueFor(ask.error, 'to')}
        />
        <Field
          label={t('business.documents.note')}
          value={note}
          onChange={setNote}
          testId="business-document-note"
          maxLength={500}
          error={issueFor(ask.error, 'note')}
        />
        <button type="submit" aria-disabled={ask.pending} data-testid="business-document-submit">
          {t('business.documents.submit')}
        </button>
      </form>
      <FormError error={docs.error ?? ask.error ?? file.error} testId="business-documents-error" />
      <ul className="plain-list">
        {docs.data?.requests.map((d) => (
          <li key={d.id} data-testid="business-document">
            <span id={`${ids}-${d.id}`}>
              {t('business.documents.statement', {
                from: isolate(formatDay(d.from, lang)),
                to: isolate(formatDay(d.to, lang))
              })}
            </span>{' '}
            <span className="muted" data-testid="business-document-status">
              {t(`business.documents.status.${d.status}`)}
            </span>{' '}
            {d.status === 'fulfilled' && (
              <button
                type="button"
                className="secondary"
                data-testid="business-document-download"
                aria-describedby={`${ids}-${d.id}`}
                aria-disabled={file.pending}
                onClick={() => void file.run(d.id).catch(logFailure('Documents: file.run'))}
              >
                {t('business.documents.download')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
