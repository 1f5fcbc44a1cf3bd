/**
 * Signing in with an email address or the line's phone number, and "forgot password" (the service answers the
 * same whether or not the account exists, and so does this form). Main keeps the session; the page only learns
 * that it is signed in.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'

export function SignIn(): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [identifier, setIdentifier] = useState('')
  const [password, setPassword] = useState('')
  const [forgot, setForgot] = useState(false)
  const [sent, setSent] = useState(false)
  const signIn = useAction(() => client.invoke('account.signIn', { identifier, password }))
  const reset = useAction(() => client.invoke('account.forgotPassword', { identifier }))

  if (forgot)
    return (
      <form
        noValidate
        className="card form"
        aria-labelledby="forgot-title"
        onSubmit={(e) => {
          e.preventDefault()
          void reset
            .run()
            .then((r) => r && setSent(true))
            .catch(logFailure('SignIn: reset.run'))
        }}
      >
        <h2 id="forgot-title">{t('account.forgotTitle')}</h2>
        <p className="muted">{t('account.forgotHint')}</p>
        <Field
          label={t('account.identifier')}
          value={identifier}
          onChange={setIdentifier}
          testId="forgot-identifier"
          maxLength={limit('account.forgotPassword', 'identifier')}
          autoComplete="username"
          dir="ltr"
          required
          error={issueFor(reset.error, 'identifier')}
        />
        <FormError error={reset.error} testId="forgot-error" />
        {sent && (
          <p className="note" role="status" data-testid="forgot-sent">
            {t('account.forgotSent')}
          </p>
        )}
        <div className="row-actions">
          <button type="submit" disabled={reset.pending}>
            {t('account.forgotSend')}
          </button>
          <button type="button" className="secondary" onClick={() => setForgot(false)}>
            {t('account.backToSignIn')}
          </button>
        </div>
      </form>
    )

  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="signin-title"
      data-testid="signin"
      onSubmit={(e) => {
        e.preventDefault()
        void signIn.run().catch(logFailure('SignIn: signIn.run'))
      }}
    >
      <h2 id="signin-title">{t('account.signInTitle')}</h2>
      <p className="muted">{t('account.signInHint')}</p>
      <Field
        label={t('account.identifier')}
        value={identifier}
        onChange={setIdentifier}
        testId="signin-identifier"
        maxLength={limit('account.signIn', 'identifier')}
        autoComplete="username"
        dir="ltr"
        required
        error={issueFor(signIn.error, 'identifier')}
      />
      <Field
        label={t('account.password')}
        type="password"
        value={password}
        onChange={setPassword}
        testId="signin-password"
        maxLength={limit('account.signIn', 'password')}
        autoComplete="current-password"
        required
        error={issueFor(signIn.error, 'password')}
      />
      <FormError error={signIn.error} testId="signin-error" />
      <div className="row-actions">
        <button type="submit" disabled={signIn.pending} data-testid="signin-submit">
          {t('account.signIn')}
        </button>
        <button type="button" className="secondary" onClick={() => setForgot(true)}>
          {t('account.forgot')}
        </button>
      </div>
    </form>
  )
}
