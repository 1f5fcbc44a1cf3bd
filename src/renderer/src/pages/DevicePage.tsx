/** Device: the dongle when one is plugged in; until then, what to do, and the USB devices seen. */
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { DeviceChanged } from '../../../shared/ipc/device'
import { useEvent, useQuery } from '../bridge/dialtone-context'

const hex4 = (n: number): string => n.toString(16).padStart(4, '0')

export function DevicePage(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const query = useQuery('device.list')
  const { update } = query
  useEvent(
    'device.changed',
    useCallback(
      (e: DeviceChanged) => update((prev) => ({ hotplug: prev?.hotplug ?? true, devices: e.devices })),
      [update]
    )
  )
  const devices = query.data?.devices ?? null
  const number = new Intl.NumberFormat(i18n.language)

  return (
    <section aria-labelledby="device-title">
      <header className="page-head">
        <h1 id="device-title">{t('device.title')}</h1>
        <button type="button" onClick={query.refresh} data-testid="device-refresh">
          {t('device.refresh')}
        </button>
      </header>
      {query.error && (
        <p className="banner error" role="alert" data-testid="device-error">
          {query.error.code === 'USB_ERROR'
            ? t('device.error', { message: query.error.message })
            : query.error.message}
        </p>
      )}
      {!query.error && devices !== null && devices.length === 0 && (
        <div className="card empty" data-testid="device-empty">
          <h2>{t('device.none')}</h2>
          <p>{t('device.noneHint')}</p>
          {query.data && !query.data.hotplug && <p className="muted">{t('device.hotplugOff')}</p>}
        </div>
      )}
      {devices !== null && (
        <div className="card">
          <h2>{t('device.usbList')}</h2>
          <table data-testid="usb-table" data-count={devices.length}>
            <thead>
              <tr>
                <th scope="col">{t('device.colPort')}</th>
                <th scope="col">{t('device.colId')}</th>
                <th scope="col">{t('device.colPower')}</th>
                <th scope="col">{t('device.colRelease')}</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.id}>
                  <td dir="ltr">{d.id}</td>
                  <td dir="ltr">
                    {hex4(d.vendorId)}:{hex4(d.productId)}
                  </td>
                  <td>
                    {d.maxPowerMa === null ? t('device.unknown') : `${number.format(d.maxPowerMa)} mA`}
                    {d.selfPowered ? ` (${t('device.selfPowered')})` : ''}
                  </td>
                  <td dir="ltr">{d.release}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
