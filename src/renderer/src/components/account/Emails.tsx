/**
 * The account's email addresses: the original (which cannot be removed), secondaries added here and confirmed
 * with a code, and which one notices go to.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { isolate } from '../../../../shared/i18n/bidi'
import { limit } from '../../limits'
import { logFailure } from '../../log'

export function Emails(): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const profile = useQuery('account.profile')
  const { update } = profile
  const [address, setAddress] = useState('')
  const [codes, setCodes] = useState<Record<string, string>>({})
  const add = useAction(() => client.invoke('account.addEmail', { address }))
  const act = useAction(async (kind: 'verify' | 'preferred' | 'remove' | 'resend', emailId: string) => {
    if (kind === 'verify')
      return client.invoke('account.verifyEmail', { emailId, code: codes[emailId] ?? '' })
    if (kind === 'preferred') return client.invoke('account.setPreferredEmail', { emailId })
    if (kind === 'remove') return client.invoke('account.removeEmail', { emailId })
    await client.invoke('account.resendEmailCode', { emailId })
    return undefined
  })
  const after = (p: unknown): void => {
    if (p && typeof p === 'object' && 'emails' in p) update(() => p as NonNullable<typeof profile.data>)
    else profile.refresh()
  }
  const emails = profile.data?.emails ?? []
  return (
    <section className="card" aria-labelledby="emails-title" data-testid="emails">
      <h2 id="emails-title">{t('emails.title')}</h2>
      <ul className="plain-list">
        {emails.map((e) => (
          <li key={e.id} data-testid="email-row">
            <span>{isolate(e.address)}</span>{' '}
            <span className="muted">
              {[
                e.role === 'original' ? t('emails.original') : null,
                e.verified ? t('emails.verified') : t('emails.unverified'),
                e.preferred ? t('emails.preferred') : null
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
            {!e.verified && (
              <span className="inline-form">
                <Field
                  label={t('emails.code')}
                  value={codes[e.id] ?? ''}
                  onChange={(v) => setCodes({ ...codes, [e.id]: v })}
                  testId="email-code"
                  maxLength={limit('account.verifyEmail', 'code')}
                  inputMode="numeric"
                  dir="ltr"
                />
                <button
                  type="button"
                  onClick={() =>
                    void act.run('verify', e.id).then(after).catch(logFailure('Emails: act.run'))
                  }
                >
                  {t('emails.verify')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void act.run('resend', e.id).catch(logFailure('Emails: act.run'))}
                >
                  {t('emails.resend')}
                </button>
              </span>
            )}
            {e.verified && !e.preferred && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  void act.run('preferred', e.id).then(after).catch(logFailure('Emails: act.run'))
                }
              >
                {t('emails.makePreferred')}
              </button>
            )}
            {e.role !== 'original' && (
              <button
                type="button"
                className="secondary"
                onClick={() => void act.run('remove', e.id).then(after).catch(logFailure('Emails: act.run'))}
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
              setAddress('')
              after(p)
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
        <button type="submit" className="secondary" disabled={add.pending}>
          {t('emails.addSubmit')}
        </button>
      </form>
      <FormError error={add.error} testId="email-add-error" />
    </section>
  )
}
