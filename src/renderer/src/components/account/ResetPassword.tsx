/**
 * "I have a reset code": the code pasted from the email "Reset your Dialtone password" and a new password, with
 * the rules said first. The service signs every session out after a reset (ASVS 7.4.3), this one included, so
 * success leads back to the sign-in form with a confirmation. A wrong, used or expired code and a weak password
 * are each said beside their field, and nothing typed is cleared; a refused password leaves the code usable.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { NewPassword } from './NewPassword'
import { unlessField } from './PasswordRules'

export function ResetPassword({
  onDone,
  onForgot,
  onBack
}: {
  onDone: () => void
  onForgot: () => void
  onBack: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [token, setToken] = useState('')
  const [password, setPassword] = useState('')
  const reset = useAction(() => client.invoke('account.resetPassword', { token, password }))
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="reset-title"
      data-testid="reset"
      onSubmit={(e) => {
        e.preventDefault()
        void reset
          .run()
          .then((r) => r && onDone())
          .catch(logFailure('ResetPassword: reset.run'))
      }}
    >
      <h2 id="reset-title">{t('account.reset.title')}</h2>
      <p className="muted">{t('account.reset.hint')}</p>
      <Field
        label={t('account.reset.code')}
        value={token}
        onChange={setToken}
        testId="reset-code"
        latinDigits
        maxLength={limit('account.resetPassword', 'token')}
        autoComplete="one-time-code"
        spellCheck={false}
        dir="ltr"
        required
        error={issueFor(reset.error, 'token')}
      />
      <NewPassword
        value={password}
        onChange={setPassword}
        testId="reset-password"
        maxLength={limit('account.resetPassword', 'password')}
        error={issueFor(reset.error, 'password')}
      />
      <FormError error={unlessField(reset.error, 'token', 'password')} testId="reset-error" />
      <div className="row-actions">
        <button type="submit" aria-disabled={reset.pending} data-testid="reset-submit">
          {t('account.reset.submit')}
        </button>
        <button type="button" className="secondary" onClick={onForgot} data-testid="reset-new-code">
          {t('account.reset.newCode')}
        </button>
        <button type="button" className="secondary" onClick={onBack} data-testid="reset-back">
          {t('account.backToSignIn')}
        </button>
      </div>
    </form>
  )
}
