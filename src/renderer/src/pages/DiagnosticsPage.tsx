/** Diagnostics: the USB system and device access; the port-power inspection arrives with its issue. */
import { useTranslation } from 'react-i18next'
import { useQuery } from '../bridge/dialtone-context'

export function DiagnosticsPage(): React.JSX.Element {
  const { t } = useTranslation()
  const usb = useQuery('diagnostics.usbStack')
  const perms = useQuery('setup.permissions')
  return (
    <section aria-labelledby="diag-title">
      <header className="page-head">
        <h1 id="diag-title">{t('diagnostics.title')}</h1>
      </header>
      <div className="card">
        <dl className="facts">
          <dt>{t('diagnostics.usbStack')}</dt>
          <dd data-testid="diag-usb">
            {usb.data &&
              (usb.data.available
                ? t('diagnostics.usbOk')
                : t('diagnostics.usbDown', { error: usb.data.error ?? '' }))}
          </dd>
          <dt>{t('diagnostics.hotplug')}</dt>
          <dd>{usb.data && (usb.data.hotplug ? t('diagnostics.yes') : t('diagnostics.no'))}</dd>
          <dt>{t('diagnostics.permissions')}</dt>
          <dd data-testid="diag-perms">
            {perms.data && t(`diagnostics.perm.${perms.data.status}`, { path: perms.data.rulePath ?? '' })}
          </dd>
        </dl>
      </div>
    </section>
  )
}
