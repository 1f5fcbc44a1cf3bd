/**
 * A password the person chooses (a reset, an invitation, a change, a phone sign-up): the rules said first
 * (PasswordRules), then the field, with the service's refusal beside it in the rules' words. One part, so every
 * form that sets a password says the same rules the same way and asks the browser for a new password.
 */
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldIssue } from '../../../../shared/ipc/errors'
import { Field } from '../Field'
import { PasswordRules } from './PasswordRules'

export function NewPassword({
  value,
  onChange,
  testId,
  maxLength,
  error,
  rulesTestId,
  label
}: {
  value: string
  onChange: (password: string) => void
  testId: string
  /** The longest the route takes (limit(route, field)). */
  maxLength: number | undefined
  error: FieldIssue | undefined
  rulesTestId?: string
  /** "New password" unless said otherwise (a first password is just "Password"). */
  label?: string
}): React.JSX.Element {
  const { t } = useTranslation()
  // The rules describe the field: a screen-reader user tabbing into it hears them (WCAG 3.3.2).
  const rulesId = useId()
  return (
    <>
      <PasswordRules testId={rulesTestId} id={rulesId} />
      <Field
        label={label ?? t('account.newPassword')}
        type="password"
        value={value}
        onChange={onChange}
        testId={testId}
        maxLength={maxLength}
        autoComplete="new-password"
        required
        error={error}
        describedBy={rulesId}
      />
    </>
  )
}
