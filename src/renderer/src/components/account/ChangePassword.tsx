/**
 * Changing the password from inside the account: the current one, the new one with its rules said first, and
 * "sign out my other sessions", ticked as the service does by default (a changed password usually means someone
 * else may know the old one). A wrong current password or a weak new one is said beside its field, and nothing
 * typed is cleared; success clears the fields, says what happened and has the session list read again.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { NewPassword } from './NewPassword'
import { unlessField } from './PasswordRules'

export function ChangePassword({ onChanged }: { onChanged: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const id = useId()
  const [currentPassword, setCurrent] = useState('')
  const [newPassword, setNew] = useState('')
  const [signOutOthers, setSignOutOthers] = useState(true)
  const [done, setDone] = useState<null | { others: boolean }>(null)
  const change = useAction(() =>
    client.invoke('account.changePassword', { currentPassword, newPassword, signOutOthers })
  )
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby={`${id}-title`}
      data-testid="change-password"
      onSubmit={(e) => {
        e.preventDefault()
        setDone(null)
        void change
          .run()
          .then((r) => {
            if (!r) return
            setCurrent('')
            setNew('')
            setDone({ others: signOutOthers })
            onChanged()
          })
          .catch(logFailure('ChangePassword: change.run'))
      }}
    >
      <h2 id={`${id}-title`}>{t('account.security.password.title')}</h2>
      <Field
        label={t('account.security.password.current')}
        type="password"
        value={currentPassword}
        onChange={setCurrent}
        testId="password-current"
        maxLength={limit('account.changePassword', 'currentPassword')}
        autoComplete="current-password"
        required
        error={issueFor(change.error, 'currentPassword')}
      />
      <NewPassword
        value={newPassword}
        onChange={setNew}
        testId="password-new"
        maxLength={limit('account.changePassword', 'newPassword')}
        error={issueFor(change.error, 'newPassword')}
      />
      <label className="inline" htmlFor={`${id}-others`}>
        <input
          id={`${id}-others`}
          type="checkbox"
          data-testid="password-signout-others"
          checked={signOutOthers}
          onChange={(e) => setSignOutOthers(e.target.checked)}
        />
        {t('account.security.password.signOutOthers')}
      </label>
      <FormError
        error={unlessField(change.error, 'currentPassword', 'newPassword')}
        testId="password-error"
      />
      {done && (
        <p className="note" role="status" data-testid="password-done">
          {done.others ? t('account.security.password.doneOthers') : t('account.security.password.done')}
        </p>
      )}
      <div className="row-actions">
        <button type="submit" aria-disabled={change.pending} data-testid="password-submit">
          {t('account.security.password.submit')}
        </button>
      </div>
    </form>
  )
}
