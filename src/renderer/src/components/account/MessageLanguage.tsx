/**
 * "Emails and texts in": the language of everything the service writes to the account's people (codes,
 * receipts, reminders, invitations; src/server/mail/words.ts). It starts as the app's language at sign-up and is
 * the person's to change here, apart from the app's own language (Settings): a family may share one account and
 * one language of its mail while each reads the app in their own. Each language is named in itself. A choice
 * saves at once and says so; a refusal puts the list back and says why.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LANGUAGES, type LanguageCode } from '../../../../shared/i18n/languages'
import { type Query, useAction, useDialtone } from '../../bridge/dialtone-context'
import { FormError } from '../Field'
import { logFailure } from '../../log'
import type { Profile } from './EmailConfirm'

export function MessageLanguage({ profile }: { profile: Query<Profile> }): React.JSX.Element | null {
  const { t } = useTranslation()
  const client = useDialtone()
  const [asked, setAsked] = useState<LanguageCode | null>(null)
  const [saved, setSaved] = useState<LanguageCode | null>(null)
  const save = useAction((language: LanguageCode) =>
    client.invoke('account.updateMessageLanguage', { language })
  )
  const p = profile.data
  if (!p) return null
  const nameOf = (code: LanguageCode): string => LANGUAGES.find((l) => l.code === code)?.name ?? code
  return (
    <div className="field" data-testid="message-language">
      <label htmlFor="message-language-select">{t('notices.language.label')}</label>
      <select
        id="message-language-select"
        data-testid="message-language-select"
        value={asked ?? p.language}
        aria-disabled={save.pending}
        aria-describedby="message-language-hint"
        onChange={(e) => {
          // Still saving the last choice: the list keeps it (a second save would be refused).
          if (save.pending) return
          const language = e.target.value as LanguageCode
          setSaved(null)
          setAsked(language)
          void save
            .run(language)
            .then((next) => {
              setAsked(null)
              if (!next) return
              profile.update(() => next)
              setSaved(language)
            })
            .catch(logFailure('MessageLanguage: save.run'))
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code} dir={l.dir}>
            {l.name}
          </option>
        ))}
      </select>
      <p id="message-language-hint" className="muted">
        {t('notices.language.hint')}
      </p>
      {saved && (
        <p className="note" role="status" data-testid="message-language-saved">
          {t('notices.language.saved', { language: nameOf(saved) })}
        </p>
      )}
      <FormError error={save.error} testId="message-language-error" />
    </div>
  )
}
