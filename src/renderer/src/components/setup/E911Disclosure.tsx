/**
 * The 911 disclosure in full where it is acknowledged: the version the service asks people to acknowledge, in the
 * person's language (served per language like the terms, so the version the acceptance records names the very
 * text shown), or in English with a note saying there is no translation yet.
 */
import { useTranslation } from 'react-i18next'
import { languageDir } from '../../../../shared/i18n/languages'
import { LegalText } from './TermsOfService'
import { useQuery } from '../../bridge/dialtone-context'
import { useLegalDocumentArgs } from './use-legal-document'

export function E911Disclosure({ version }: { version: string | undefined }): React.JSX.Element {
  const { t } = useTranslation()
  const doc = useQuery('account.e911Disclosure', useLegalDocumentArgs(version))
  return (
    <details className="legal">
      <summary>{t('contact.e911Disclosure')}</summary>
      {doc.data?.fallback && (
        <p className="note" data-testid="e911-fallback">
          {t('contact.e911EnglishOnly')}
        </p>
      )}
      <div
        lang={doc.data?.language}
        dir={doc.data ? languageDir(doc.data.language) : undefined}
        data-testid="e911-disclosure"
      >
        {doc.data ? <LegalText text={doc.data.text} /> : <p className="muted">{t('status.checking')}</p>}
      </div>
    </details>
  )
}
