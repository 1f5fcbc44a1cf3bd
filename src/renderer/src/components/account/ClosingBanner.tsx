/**
 * On top of every part of the Account page while the account's closure is scheduled: the day it closes, and
 * "Keep my account", which cancels it (src/server/identity/closure.ts). The emails sent at the request point here.
 */
import { useTranslation } from 'react-i18next'
import type { AccountClosure } from '../../../../shared/api/privacy'
import { isolate } from '../../../../shared/i18n/bidi'
import { type Query, useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { logFailure } from '../../log'
import { FormError } from '../Field'

export function ClosingBanner({
  closure
}: {
  closure: Query<AccountClosure> | null
}): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const keep = useAction(async () => {
    const next = await client.invoke('account.keepAccount')
    closure?.update(() => next)
    return next
  })
  const scheduled = closure?.data?.scheduled
  if (!scheduled)
    return keep.data ? (
      <p role="status" className="banner" data-testid="account-kept">
        {t('privacy.keep.done')}
      </p>
    ) : null
  return (
    <div className="banner" role="alert" data-testid="closing-banner">
      <p>
        <strong>
          {t('privacy.closing.title', { date: isolate(formatInstant(scheduled.closesAt, i18n.language)) })}
        </strong>
      </p>
      <p>{t('privacy.closing.body')}</p>
      <button
        type="button"
        aria-disabled={keep.pending}
        data-testid="keep-account"
        onClick={() => void keep.run().catch(logFailure('ClosingBanner: keep.run'))}
      >
        {t('privacy.keep.submit')}
      </button>
      <FormError error={keep.error} testId="keep-error" />
    </div>
  )
}
