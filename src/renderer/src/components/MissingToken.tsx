/** Shown when the page was opened without the web host's token: what to do, not a blank screen. */
import { useTranslation } from 'react-i18next'

export function MissingToken(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <main className="notice" role="alert" data-testid="missing-token">
      <h1>{t('errors.missingTokenTitle')}</h1>
      <p>{t('errors.missingTokenBody')}</p>
    </main>
  )
}
