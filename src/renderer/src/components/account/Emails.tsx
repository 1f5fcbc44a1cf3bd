/**
 * The account's email addresses: the original (which cannot be removed), secondaries added here, each confirmed
 * with a code (EmailConfirm.tsx), and which one notices go to. The profile query is the page's, so confirming an
 * address in the prompt above and here show the same state.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Query, useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { isolate } from '../../../../shared/i18n/bidi'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { EmailCodeForm, type Profile } from './EmailConfirm'
import { Said, useSaid } from '../Said'

export function Emails({ profile }: { profile: Query<Profile> }): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const { update } = profile
  const [address, setAddress] = useState('')
  const add = useAction(() => client.invoke('account.addEmail', { address }))
  const act = useAction(async (kind: 'preferred' | 'remove', emailId: string) =>
    kind === 'preferred'
      ? client.invoke('account.setPreferredEmail', { emailId })
      : client.invoke('account.removeEmail', { emailId })
  )
  // What an address's action just did, said once (the list's own change is silent to a screen reader).
  const { said, say } = useSaid()
  const after = (p: Profile | undefined, sentence?: string): void => {
    if (!p) return
    update(() => p)
    if (sentence) say(sentence)
  }
  const emails = profile.data?.emails ?? []
  // Each address's buttons are described by the address, so a list of buttons tells them apart.
  const ids = useId()
  return (
    <section className="card" aria-labelledby="emails-title" data-testid="emails">
      <h2 id="emails-title">{t('emails.title')}</h2>
      <ul className="plain-list">
        {emails.map((e) => (
          <li key={e.id} data-testid="email-row">
            <span id={`${ids}-${e.id}`}>{isolate(e.address)}</span>{' '}
            <span className="muted">
              {[
                e.role === 'original' ? t('emails.original') : null,
                e.verified ? t('emails.verified') : t('emails.unverified'),
                // Notices go only to confirmed addresses (the service's rule), so only those say so.
                e.preferred && e.verified ? t('emails.preferred') : null
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
            {/* The unconfirmed original has its code form in "Confirm this email" at the top of the page. */}
            {!e.verified && e.role !== 'original' && (
              <EmailCodeForm
                emailId={e.id}
                onConfirmed={(p) => after(p, t('emails.confirmedSaid', { address: isolate(e.address) }))}
              />
            )}
            {e.verified && !e.preferred && (
              <button
                type="button"
                className="secondary"
                aria-describedby={`${ids}-${e.id}`}
                aria-disabled={act.pending}
                onClick={() =>
                  void act
                    .run('preferred', e.id)
                    .then((p) => after(p, t('emails.preferredSaid', { address: isolate(e.address) })))
                    .catch(logFailure('Emails: act.run'))
                }
              >
                {t('emails.makePreferred')}
              </button>
            )}
            {e.role !== 'original' && (
              <button
                type="button"
                className="secondary"
                aria-describedby={`${ids}-${e.id}`}
                aria-disabled={act.pending}
                onClick={() =>
                  void act
                    .run('remove', e.id)
                    .then((p) => after(p, t('emails.removedSaid', { address: isolate(e.address) })))
                    .catch(logFailure('Emails: act.run'))
                }
              >
                {t('emails.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <FormError error={act.error} testId="email-error" />
      <form
        noValidate
        className="form row"
        onSubmit={(ev) => {
          ev.preventDefault()
          void add
            .run()
            .then((p) => {
              if (!p) return
              after(p, t('emails.addedSaid', { address: isolate(address.trim()) }))
              setAddress('')
            })
            .catch(logFailure('Emails: add.run'))
        }}
      >
        <Field
          label={t('emails.add')}
          type="email"
          value={address}
          onChange={setAddress}
          testId="email-add"
          maxLength={limit('account.addEmail', 'address')}
          autoComplete="email"
          dir="ltr"
          error={issueFor(add.error, 'address')}
        />
        <button
          type="submit"
          className="secondary"
          aria-disabled={add.pending}
          data-testid="email-add-submit"
        >
          {t('emails.addSubmit')}
        </button>
      </form>
      <FormError error={add.error} testId="email-add-error" />
      <Said said={said} testId="emails-said" />
    </section>
  )
}
