/**
 * The person's support requests (issue 25), newest first: topic, status (open, answered, closed), whether the
 * diagnostics report went with it, and the conversation. Every message is shown as text (React never reads it as
 * markup), in its own direction. An open or answered request can be answered or closed.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SUPPORT_TEXT_MAX, type SupportRequestView, supportReference } from '../../../../shared/api/support'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { logFailure } from '../../log'
import { FormError, IssueText, issueFor } from '../Field'

export function SupportRequests({
  requests,
  onChange
}: {
  requests: readonly SupportRequestView[]
  onChange: (next: SupportRequestView) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section className="card" aria-labelledby="help-requests-title" data-testid="help-requests">
      <h2 id="help-requests-title">{t('help.requests.title')}</h2>
      {requests.length === 0 ? (
        <p className="muted" data-testid="help-requests-none">
          {t('help.requests.none')}
        </p>
      ) : (
        <ul className="plain-list">
          {requests.map((r) => (
            <RequestItem key={r.id} request={r} onChange={onChange} />
          ))}
        </ul>
      )}
    </section>
  )
}

function RequestItem({
  request: r,
  onChange
}: {
  request: SupportRequestView
  onChange: (next: SupportRequestView) => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const id = useId()
  const [text, setText] = useState('')
  const reply = useAction(() => client.invoke('help.reply', { requestId: r.id, text }))
  const close = useAction(() => client.invoke('help.close', { requestId: r.id }))
  const issue = issueFor(reply.error, 'text')
  return (
    <li className="support-request" data-testid="help-request" data-status={r.status}>
      <h3 id={`${id}-title`}>
        {t('help.requests.heading', {
          topic: t(`help.topic.${r.topic}`),
          reference: supportReference(r.id)
        })}
      </h3>
      <p>
        <span className={`chip support-${r.status}`} data-testid="help-request-status">
          {t(`help.status.${r.status}`)}
        </span>{' '}
        <span className="muted">
          {t('help.requests.opened', { date: formatInstant(r.createdAt, i18n.language) })}
          {r.hasDiagnostics ? ` · ${t('help.requests.withReport')}` : ''}
        </span>
      </p>
      <ol className="plain-list conversation" aria-label={t('help.requests.conversation')}>
        {r.messages.map((m) => (
          <li key={m.id} className={`message from-${m.from}`} data-testid={`help-message-${m.from}`}>
            <p className="muted">
              {t(`help.from.${m.from}`)} · {formatInstant(m.at, i18n.language)}
            </p>
            <p dir="auto" className="message-text">
              {m.text}
            </p>
          </li>
        ))}
      </ol>
      {r.status !== 'closed' && (
        <form
          noValidate
          className="form"
          aria-labelledby={`${id}-title`}
          onSubmit={(e) => {
            e.preventDefault()
            void reply
              .run()
              .then((out) => {
                if (!out) return
                setText('')
                onChange(out.request)
              })
              .catch(logFailure('SupportRequests: reply.run'))
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-reply`}>{t('help.requests.reply')}</label>
            <textarea
              id={`${id}-reply`}
              data-testid="help-reply-text"
              dir="auto"
              rows={3}
              maxLength={SUPPORT_TEXT_MAX}
              value={text}
              aria-invalid={issue ? true : undefined}
              aria-describedby={issue ? `${id}-reply-error` : undefined}
              onChange={(e) => setText(e.target.value)}
            />
            <IssueText issue={issue} id={`${id}-reply-error`} />
          </div>
          <FormError error={reply.error ?? close.error} testId="help-request-error" />
          <div className="row-buttons">
            <button
              type="submit"
              disabled={reply.pending || text.trim() === ''}
              data-testid="help-reply-send"
            >
              {t('help.requests.send')}
            </button>
            <button
              type="button"
              className="secondary"
              aria-disabled={close.pending}
              data-testid="help-close"
              onClick={() =>
                void close
                  .run()
                  .then((out) => out && onChange(out.request))
                  .catch(logFailure('SupportRequests: close.run'))
              }
            >
              {t('help.requests.close')}
            </button>
          </div>
        </form>
      )}
    </li>
  )
}
