/**
 * The rules a new password must follow, said before the person types: the same rules the service enforces
 * (src/server/identity/passwords.ts: the shortest length from the shared schema, then the WEAK_PASSWORD_CODES),
 * each worded from the locale. A refusal names the rule it broke beside the field, in the same words.
 */
import { useTranslation } from 'react-i18next'
import { PASSWORD_MIN_LENGTH } from '../../../../shared/api/common'
import { WEAK_PASSWORD_CODES } from '../../../../shared/api/reasons'
import type { DialtoneError } from '../../../../shared/ipc/errors'
import { issueFor } from '../Field'

export function PasswordRules({
  testId = 'password-rules',
  id
}: {
  testId?: string | undefined
  /** For the password field's aria-describedby: the rules are read with the field, not only before it. */
  id?: string | undefined
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="note" id={id} data-testid={testId}>
      <p>{t('account.passwordRules.title')}</p>
      <ul>
        <li>{t('account.passwordRules.length', { min: PASSWORD_MIN_LENGTH, count: PASSWORD_MIN_LENGTH })}</li>
        {WEAK_PASSWORD_CODES.map((code) => (
          <li key={code}>{t(`account.passwordRules.${code}`)}</li>
        ))}
      </ul>
    </div>
  )
}

/**
 * The refusal for the form as a whole, unless one of the named fields already shows it: a wrong code or a weak
 * password is said once, beside its field.
 */
export function unlessField(
  error: DialtoneError | undefined,
  ...paths: readonly string[]
): DialtoneError | undefined {
  return error && paths.some((p) => issueFor(error, p)) ? undefined : error
}
