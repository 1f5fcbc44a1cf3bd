/**
 * Confirming an email with the code the service sent to it: the inline code form (used for every unconfirmed
 * address in the email list) and the prompt an account shows while its original email is unconfirmed — after a
 * purchased dongle was activated on a new account, or a sign-up by phone. Until then that address neither signs
 * in nor receives a password reset (the service's rule, issue 21), so the prompt says so and how to sign in
 * meanwhile.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { type Query, useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { DevMailboxHint } from '../DevMailboxHint'

export type Profile = ResponseOf<'account.profile'>

/** The code field with "Confirm" and "Send a new code" for one unconfirmed address. */
export function EmailCodeForm({
  emailId,
  onConfirmed
}: {
  emailId: string
  onConfirmed: (profile: Profile) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [code, setCode] = useState('')
  const verify = useAction(() => client.invoke('account.verifyEmail', { emailId, code }))
  const resend = useAction(() => client.invoke('account.resendEmailCode', { emailId }))
  return (
    <form
      noValidate
      className="inline-form"
      onSubmit={(ev) => {
        ev.preventDefault()
        void verify
          .run()
          .then((p) => p && onConfirmed(p))
          .catch(logFailure('EmailConfirm: verify.run'))
      }}
    >
      <Field
        label={t('emails.code')}
        value={code}
        onChange={setCode}
        testId="email-code"
        latinDigits
        maxLength={limit('account.verifyEmail', 'code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        dir="ltr"
        error={issueFor(verify.error, 'code')}
      />
      <button type="submit" aria-disabled={verify.pending} data-testid="email-verify">
        {t('emails.verify')}
      </button>
      <button
        type="button"
        className="secondary"
        aria-disabled={resend.pending}
        data-testid="email-resend"
        onClick={() =>
          void resend
            .run()
            .then((r) => {
              if (!r) return
              // The new code replaces the old one: a refusal about the old one no longer applies.
              verify.clear()
              setCode('')
            })
            .catch(logFailure('EmailConfirm: resend.run'))
        }
      >
        {t('emails.resend')}
      </button>
      {resend.data && (
        <p className="note" role="status" data-testid="email-code-resent">
          {t('emails.codeResent')}
        </p>
      )}
      <FormError error={verify.error} testId="email-verify-error" />
      <FormError error={resend.error} testId="email-resend-error" />
    </form>
  )
}

/** "Confirm this email", while the account's original address is unconfirmed; nothing otherwise. */
export function ConfirmEmailPrompt({ profile }: { profile: Query<Profile> }): React.JSX.Element | null {
  const { t } = useTranslation()
  const original = profile.data?.emails.find((e) => e.role === 'original')
  if (!original || original.verified) return null
  return (
    <section className="card" aria-labelledby="confirm-email-title" data-testid="confirm-email">
      <h2 id="confirm-email-title">{t('emails.confirm.title')}</h2>
      <p>{t('emails.confirm.sent', { email: original.address })}</p>
      <DevMailboxHint />
      <p className="muted">{t('emails.confirm.why')}</p>
      <EmailCodeForm emailId={original.id} onConfirmed={(p) => profile.update(() => p)} />
    </section>
  )
}
