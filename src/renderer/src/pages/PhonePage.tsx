/** Phone: the line's status; dialpad, calls and history arrive with the phone issue. */
import { useTranslation } from 'react-i18next'
import { useQuery } from '../bridge/dialtone-context'

export function PhonePage(): React.JSX.Element {
  const { t } = useTranslation()
  const status = useQuery('phone.status')
  return (
    <section aria-labelledby="phone-title">
      <header className="page-head">
        <h1 id="phone-title">{t('phone.title')}</h1>
      </header>
      <div className="card">
        <h2 data-testid="phone-state">
          {status.data ? t(`status.line.${status.data.state}`) : t('status.checking')}
        </h2>
        {status.data?.state === 'unconfigured' && <p>{t('phone.noLine')}</p>}
      </div>
    </section>
  )
}
