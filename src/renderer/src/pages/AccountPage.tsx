/** Account: whether the service behind the line answers; sign-in and the dashboard come with the service. */
import { useTranslation } from 'react-i18next'
import { isolate } from '../bidi'
import { useQuery } from '../bridge/dialtone-context'

export function AccountPage(): React.JSX.Element {
  const { t } = useTranslation()
  const status = useQuery('account.serviceStatus')
  return (
    <section aria-labelledby="account-title">
      <header className="page-head">
        <h1 id="account-title">{t('account.title')}</h1>
      </header>
      <div className="card">
        <h2>{t('account.service')}</h2>
        {status.data && (
          <dl>
            <dt>{t('account.address')}</dt>
            <dd dir="ltr">{status.data.url}</dd>
            <dd data-testid="service-state">
              {status.data.reachable
                ? t('account.online', { version: status.data.version ?? '?' })
                : t('account.offline', { error: isolate(status.data.error ?? '') })}
            </dd>
          </dl>
        )}
      </div>
    </section>
  )
}
