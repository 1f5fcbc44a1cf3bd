/**
 * "I was invited to a business account" (issue 25 part 2): the invited person's own way in, from the sign-in
 * form or straight from the address the invitation email names (#/account/join). They give the address the
 * invitation went to, the code in it and their new password (the rules said first); the app sets the password
 * with the code (the service's reset, which also confirms the invited address) and signs them in at once, so they
 * land on Account with the business banner. A refusal is worded for an invitation here (an expired invitation is
 * renewed by the administrator, not by "send me a new code"); anything else in the app's usual words.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import type { DialtoneError } from '../../../../shared/ipc/errors'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { SUPPORT } from '../../remedies'
import { NewPassword } from '../account/NewPassword'
import { unlessField } from '../account/PasswordRules'

export { JOIN_HASH, joinAsked } from './join-address'

/** The code refusals worded for an invitation (business.join.errors.<code>). */
const TOKEN_WORDS = ['token-unknown', 'token-used', 'token-expired'] as const
type TokenWord = (typeof TOKEN_WORDS)[number]
const isTokenWord = (code: string | undefined): code is TokenWord =>
  (TOKEN_WORDS as readonly string[]).includes(code ?? '')

export function JoinBusiness({
  email,
  onEmail,
  onBack
}: {
  email: string
  onEmail: (email: string) => void
  onBack: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [token, setToken] = useState('')
  const [password, setPassword] = useState('')
  const [emailMissing, setEmailMissing] = useState(false)
  // Set once the password is changed but signing in with the typed address failed: the code is spent by then.
  const [setButNotIn, setSetButNotIn] = useState<string | null>(null)
  const reset = useAction(() => client.invoke('account.resetPassword', { token, password }))
  const signIn = useAction((identifier: string, pw: string) =>
    client.invoke('account.signIn', { identifier, password: pw })
  )

  const submit = async (): Promise<void> => {
    const address = email.trim()
    setEmailMissing(address === '')
    if (address === '') return
    // Once the code has set the password, a second try only signs in (with the address corrected).
    if (setButNotIn === null && !(await reset.run())) return
    const session = await signIn.run(address, password)
    if (session) window.location.hash = '#/account/overview'
    else setSetButNotIn(address)
  }

  const tokenIssue = issueFor(reset.error, 'token')
  const tokenText = isTokenWord(tokenIssue?.code) ? t(`business.join.errors.${tokenIssue.code}`) : undefined
  const formError: DialtoneError | undefined = unlessField(reset.error, 'token', 'password')
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="join-title"
      data-testid="join"
      onSubmit={(e) => {
        e.preventDefault()
        void submit().catch(logFailure('JoinBusiness: submit'))
      }}
    >
      <h2 id="join-title">{t('business.join.title')}</h2>
      <p className="muted">{t('business.join.hint')}</p>
      <Field
        label={t('business.join.email')}
        type="email"
        value={email}
        onChange={onEmail}
        testId="join-email"
        maxLength={limit('account.signIn', 'identifier')}
        autoComplete="username"
        dir="ltr"
        required
        errorText={emailMissing ? t('business.join.errors.emailMissing') : undefined}
      />
      <Field
        label={t('business.join.code')}
        value={token}
        onChange={setToken}
        testId="join-code"
        latinDigits
        maxLength={limit('account.resetPassword', 'token')}
        autoComplete="one-time-code"
        spellCheck={false}
        dir="ltr"
        required
        error={tokenIssue}
        errorText={tokenText}
      />
      {tokenIssue?.code === 'token-expired' && (
        // "…or Dialtone support (Help)": the way there.
        <p className="remedy">
          <a href={SUPPORT.href} data-testid="join-support">
            {t(SUPPORT.label)}
          </a>
        </p>
      )}
      <NewPassword
        value={password}
        onChange={setPassword}
        testId="join-password"
        rulesTestId="join-password-rules"
        maxLength={limit('account.resetPassword', 'password')}
        error={issueFor(reset.error, 'password')}
      />
      {formError?.reason === 'email-taken' ? (
        <p className="banner error" role="alert" data-testid="join-error">
          {t('business.join.errors.email-taken')}
        </p>
      ) : (
        <FormError error={formError} testId="join-error" />
      )}
      {setButNotIn !== null && (
        <p className="banner error" role="alert" data-testid="join-error">
          {t('business.join.errors.signInFailed', { email: isolate(setButNotIn) })}
        </p>
      )}
      <div className="row-actions">
        <button type="submit" disabled={reset.pending || signIn.pending} data-testid="join-submit">
          {t('business.join.submit')}
        </button>
        <button type="button" className="secondary" onClick={onBack} data-testid="join-back">
          {t('account.backToSignIn')}
        </button>
      </div>
    </form>
  )
}
