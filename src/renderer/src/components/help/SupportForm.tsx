/**
 * Ask support (issue 25): a topic from the service's fixed list, the person's words (counted down to the limit
 * the contract sets), and "attach the diagnostics report" — on by default: one click sends the technician's
 * report (the Diagnostics page's inspection, serials masked) as data, without copy and paste. An address that
 * asks for a written request (support-draft.ts: a company's tariff change, or withdrawing one) begins it here.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SUPPORT_TEXT_MAX, SUPPORT_TOPICS, type SupportTopic } from '../../../../shared/api/support'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { logFailure } from '../../log'
import { FormError, IssueText, issueFor } from '../Field'
import { usePhoneNumbers } from '../../phone-numbers'
import { DRAFT_TOPIC, type DraftAsked, draftFromHash, draftText } from './support-draft'

/** The written request the address asks for, handed to `begin` once (support-draft.ts). */
function useDraftFromAddress(begin: (asked: DraftAsked) => void): void {
  useEffect(() => {
    const go = (): void => {
      const asked = draftFromHash(window.location.hash)
      if (!asked) return
      // Asked once: a later visit to Help does not write over what the person has written since.
      history.replaceState(null, '', window.location.hash.replace(/\?.*$/, ''))
      begin(asked)
    }
    go()
    window.addEventListener('hashchange', go)
    return () => window.removeEventListener('hashchange', go)
  }, [begin])
}

export function SupportForm({ onSent }: { onSent: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const id = useId()
  const [topic, setTopic] = useState<SupportTopic>('line')
  const [text, setText] = useState('')
  const [attach, setAttach] = useState(true)
  const [sent, setSent] = useState(false)
  const phone = usePhoneNumbers()
  const textArea = useRef<HTMLTextAreaElement>(null)
  const begin = useCallback(
    (asked: DraftAsked) => {
      setTopic(DRAFT_TOPIC[asked.kind])
      // A letter about a plan: the USB report has nothing to say to it.
      setAttach(false)
      setSent(false)
      client
        .invoke('account.lines')
        .then(
          ({ lines }) => lines.find((l) => l.id === asked.lineId),
          () => undefined
        )
        .then((line) => {
          // A line the list does not hold leaves "Line:" for the person to fill in.
          const name = !line
            ? ''
            : line.number
              ? phone(line.number)
              : (line.label ?? t('lines.dongle', { serial: line.deviceSerial }))
          setText(draftText(t, asked, name, i18n.language))
          textArea.current?.scrollIntoView({ block: 'center' })
          textArea.current?.focus()
        })
        .catch(logFailure('SupportForm: begin a written request'))
    },
    [client, phone, t, i18n.language]
  )
  useDraftFromAddress(begin)
  const send = useAction(async () => {
    const diagnostics = attach ? await client.invoke('diagnostics.inspect', { maskSerials: true }) : null
    return client.invoke('help.create', { topic, text, diagnostics })
  })
  const left = SUPPORT_TEXT_MAX - text.length
  const textIssue = issueFor(send.error, 'text')
  return (
    <form
      noValidate
      className="form card"
      aria-labelledby={`${id}-title`}
      data-testid="help-form"
      onSubmit={(e) => {
        e.preventDefault()
        setSent(false)
        void send
          .run()
          .then((r) => {
            if (!r) return
            setText('')
            setSent(true)
            onSent()
          })
          .catch(logFailure('SupportForm: send.run'))
      }}
    >
      <h2 id={`${id}-title`}>{t('help.form.title')}</h2>
      <div className="field">
        <label htmlFor={`${id}-topic`}>{t('help.form.topic')}</label>
        <select
          id={`${id}-topic`}
          data-testid="help-topic"
          value={topic}
          onChange={(e) => setTopic(e.target.value as SupportTopic)}
        >
          {SUPPORT_TOPICS.map((k) => (
            <option key={k} value={k}>
              {t(`help.topic.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('help.form.text')}</label>
        <textarea
          ref={textArea}
          id={`${id}-text`}
          data-testid="help-text"
          dir="auto"
          rows={6}
          maxLength={SUPPORT_TEXT_MAX}
          value={text}
          required
          aria-invalid={textIssue ? true : undefined}
          aria-describedby={`${id}-count${textIssue ? ` ${id}-text-error` : ''}`}
          onChange={(e) => setText(e.target.value)}
        />
        <p id={`${id}-count`} className="muted hint">
          {t('help.form.left', {
            left: new Intl.NumberFormat(i18n.language).format(left)
          })}
        </p>
        <IssueText issue={textIssue} id={`${id}-text-error`} />
      </div>
      <div className="field">
        <label className="inline" htmlFor={`${id}-attach`}>
          <input
            id={`${id}-attach`}
            type="checkbox"
            data-testid="help-attach"
            checked={attach}
            aria-describedby={`${id}-attach-hint`}
            onChange={(e) => setAttach(e.target.checked)}
          />
          {t('help.form.attach')}
        </label>
        <p id={`${id}-attach-hint`} className="muted hint">
          {t('help.form.attachHint')}
        </p>
      </div>
      <FormError error={send.error} testId="help-form-error" />
      {sent && (
        <p className="note" role="status" data-testid="help-sent">
          {t('help.form.sent')}
        </p>
      )}
      <button type="submit" disabled={send.pending || text.trim() === ''} data-testid="help-send">
        {t('help.form.send')}
      </button>
    </form>
  )
}
