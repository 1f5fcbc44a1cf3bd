/**
 * Accepting the terms of service where they can be read: the checkbox, a link beside it that opens the full
 * text, and the text itself (the version the service asks people to accept, in the person's language, or in
 * English with a note saying there is no translation yet) in a scrollable region under a disclosure.
 */
import { useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { languageDir } from '../../../../shared/i18n/languages'
import { useQuery } from '../../bridge/dialtone-context'
import { useLegalDocumentArgs } from './use-legal-document'

export function TermsOfService({
  version,
  accepted,
  onAccept,
  refusedBy
}: {
  /** The version accepted by ticking (the service's current one); the text shown is this version's. */
  version: string | undefined
  accepted: boolean
  onAccept: (accepted: boolean) => void
  /** The id of the refusal that says the terms must be accepted, when that is what is missing. */
  refusedBy?: string | undefined
}): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  const [open, setOpen] = useState(false)
  const region = useRef<HTMLDivElement>(null)
  const doc = useQuery('account.terms', useLegalDocumentArgs(version))
  return (
    <div className="terms" data-testid="terms">
      <div className="inline">
        <label className="inline">
          <input
            type="checkbox"
            data-testid="contact-terms"
            checked={accepted}
            aria-invalid={refusedBy ? true : undefined}
            aria-describedby={refusedBy ? `${refusedBy} ${id}-text` : `${id}-text`}
            onChange={(e) => onAccept(e.target.checked)}
          />
          {t('contact.acceptTerms')}
        </label>{' '}
        <button
          type="button"
          className="link"
          aria-controls={`${id}-text`}
          aria-expanded={open}
          data-testid="terms-link"
          onClick={() => {
            setOpen(true)
            // After the disclosure has opened, so the region can take focus and be read.
            requestAnimationFrame(() => region.current?.focus())
          }}
        >
          {t('terms.read')}
        </button>
      </div>
      <details className="legal" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>{version ? t('terms.title', { version }) : t('status.checking')}</summary>
        {doc.data?.fallback && (
          <p className="note" data-testid="terms-fallback">
            {t('terms.englishOnly')}
          </p>
        )}
        <div
          id={`${id}-text`}
          ref={region}
          className="legal-text"
          role="region"
          tabIndex={0}
          aria-label={t('terms.region')}
          lang={doc.data?.language}
          dir={doc.data ? languageDir(doc.data.language) : undefined}
          data-testid="terms-text"
        >
          {doc.data ? <LegalText text={doc.data.text} /> : <p className="muted">{t('status.checking')}</p>}
        </div>
      </details>
    </div>
  )
}

/** Numbers with separators ("2026-11", "+1 212") read left to right in a right-to-left document too. */
const NUMBER = /[+]?\p{Nd}+(?:[-./:]\p{Nd}+)+|[+]\p{Nd}+/gu

/**
 * The document's markdown as elements: '#' and '##' headings, '-' list items, paragraphs; nothing else. Its
 * numbers are isolated like every value in the app (a Persian "نسخهٔ 2026-11" would otherwise show "11-2026").
 */
export function LegalText({ text }: { text: string }): React.JSX.Element {
  const blocks = text
    .trim()
    .replace(NUMBER, (n) => isolate(n))
    .split(/\n\s*\n/)
  return (
    <>
      {blocks.map((block, i) => {
        if (block.startsWith('## ')) return <h4 key={i}>{block.slice(3)}</h4>
        if (block.startsWith('# ')) return <h3 key={i}>{block.slice(2)}</h3>
        if (block.startsWith('- '))
          return (
            <ul key={i}>
              {block
                .split(/\n(?=- )/)
                .map((item) => item.slice(2).replace(/\s*\n\s*/g, ' '))
                .map((item, j) => (
                  <li key={j}>{item}</li>
                ))}
            </ul>
          )
        return <p key={i}>{block.replace(/\s*\n\s*/g, ' ')}</p>
      })}
    </>
  )
}
