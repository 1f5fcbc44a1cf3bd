/**
 * What a part of the screen shows while its code loads (pages and the setup wizard are chunks fetched when first
 * shown). From the app's own files this takes a few milliseconds, so the words appear only after 300 ms (styles.css
 * `.loading`): a quick load shows nothing rather than a flicker, a slow one says what is happening. `aria-busy`
 * tells assistive technology the region is not ready yet either way.
 */
import { useTranslation } from 'react-i18next'

export function Loading(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <p className="loading muted" role="status" aria-busy="true" data-testid="loading">
      {t('app.loading')}
    </p>
  )
}
