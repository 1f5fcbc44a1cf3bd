/**
 * Beside "we sent a code": on the dev stack, where the code is. No email or SMS leaves a development service; its
 * dev mailbox page shows them (the newcomer's README run did not find it from the screen). Shown only when main
 * says the stack has one (app.info's devMailboxUrl: `npm start` sets it, a packaged app never does).
 */
import { useTranslation } from 'react-i18next'
import { useQuery } from '../bridge/dialtone-context'

export function DevMailboxHint(): React.JSX.Element | null {
  const { t } = useTranslation()
  const url = useQuery('app.info').data?.devMailboxUrl
  if (!url) return null
  return (
    <p className="muted" data-testid="dev-mailbox-hint">
      {t('devMailbox.hint')}{' '}
      <a href={url} target="_blank" rel="noreferrer" data-testid="dev-mailbox-link">
        {t('devMailbox.open')}
      </a>
    </p>
  )
}
