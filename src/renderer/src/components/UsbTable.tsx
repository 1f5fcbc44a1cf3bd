/** Every USB device the computer shows, for the curious and for technicians. */
import { useTranslation } from 'react-i18next'
import type { UsbDevice } from '../../../shared/ipc/device'
import { isolate } from '../../../shared/i18n/bidi'

const hex4 = (n: number): string => n.toString(16).padStart(4, '0')

export function UsbTable({ usb }: { usb: UsbDevice[] }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const number = new Intl.NumberFormat(i18n.language)
  return (
    <table data-testid="usb-table" data-count={usb.length}>
      <thead>
        <tr>
          <th scope="col">{t('device.colPort')}</th>
          <th scope="col">{t('device.colId')}</th>
          <th scope="col">{t('device.colPower')}</th>
          <th scope="col">{t('device.colRelease')}</th>
        </tr>
      </thead>
      <tbody>
        {usb.map((d) => (
          <tr key={d.id}>
            <td>{isolate(d.id)}</td>
            <td dir="ltr">
              {hex4(d.vendorId)}:{hex4(d.productId)}
            </td>
            <td>
              {d.maxPowerMa === null ? t('device.unknown') : `${number.format(d.maxPowerMa)} mA`}
              {d.selfPowered ? ` (${t('device.selfPowered')})` : ''}
            </td>
            <td>{isolate(d.release)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
