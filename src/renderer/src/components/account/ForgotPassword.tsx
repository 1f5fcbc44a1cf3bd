/**
 * "Forgot password?": the email or number of the account, then "we sent a reset code" whether or not an account
 * uses it (the service answers the same, so this form cannot tell who exists), then on to "I have a reset code".
 * The service emails a code rather than a link: a desktop app has no address a mail client could open.
 */
import { useTranslation } from 'react-i18next'
import { RESET_CODE_MINUTES } from '../../../../shared/api/identity'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { unlessField } from './PasswordRules'

export function ForgotPassword({
  identifier,
  onIdentifier,
  onHaveCode,
  onBack
}: {
  identifier: string
  onIdentifier: (value: string) => void
  onHaveCode: () => void
  onBack: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const send = useAction(() => client.invoke('account.forgotPassword', { identifier }))
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="forgot-title"
      data-testid="forgot"
      onSubmit={(e) => {
        e.preventDefault()
        void send.run().catch(logFailure('ForgotPassword: send.run'))
      }}
    >
      <h2 id="forgot-title">{t('account.forgotTitle')}</h2>
      <p className="muted">{t('account.forgotHint')}</p>
      <Field
        label={t('account.identifier')}
        value={identifier}
        onChange={onIdentifier}
        testId="forgot-identifier"
        latinDigits
        maxLength={limit('account.forgotPassword', 'identifier')}
        autoComplete="username"
        dir="ltr"
        required
        error={issueFor(send.error, 'identifier')}
      />
      <FormError error={unlessField(send.error, 'identifier')} testId="forgot-error" />
      {send.data && (
        <p className="note" role="status" data-testid="forgot-sent">
          {t('account.forgotSent', { minutes: RESET_CODE_MINUTES, count: RESET_CODE_MINUTES })}
        </p>
      )}
      <div className="row-actions">
        <button
          type="submit"
          className={send.data ? 'secondary' : undefined}
          aria-disabled={send.pending}
          data-testid="forgot-submit"
        >
          {send.data ? t('account.forgotAgain') : t('account.forgotSend')}
        </button>
        <button
          type="button"
          className={send.data ? undefined : 'secondary'}
          onClick={onHaveCode}
          data-testid="forgot-have-code"
        >
          {t('account.reset.open')}
        </button>
        <button type="button" className="secondary" onClick={onBack} data-testid="forgot-back">
          {t('account.backToSignIn')}
        </button>
      </div>
    </form>
  )
}
