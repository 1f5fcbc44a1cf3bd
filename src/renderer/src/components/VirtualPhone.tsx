/**
 * The virtual dongle's analog phone, on screen: a handset to lift and hang up, a keypad, hook flash, and
 * the line's lamps (powered, ringing). Every press goes to main as the same input report the real dongle
 * sends, so the whole stack above the driver is exercised.
 */
import { useTranslation } from 'react-i18next'
import type { Device } from '../../../shared/ipc/device'
import { useDialtone } from '../bridge/dialtone-context'
import { Keypad } from './Keypad'

export function VirtualPhone({ device }: { device: Device }): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const { offHook, ringing, linePower } = device.line
  return (
    <div className="virtual-phone" data-testid="virtual-phone" aria-label={t('virtual.title')} role="group">
      <div className="lamps" aria-live="polite">
        <span className={linePower ? 'lamp on' : 'lamp'} data-testid="virtual-power">
          {t('virtual.linePower')}
        </span>
        <span className={ringing ? 'lamp ringing' : 'lamp'} data-testid="virtual-ringing">
          {ringing ? t('virtual.ringing') : t('virtual.quiet')}
        </span>
        <span className={offHook ? 'lamp on' : 'lamp'} data-testid="virtual-hook">
          {offHook ? t('virtual.offHook') : t('virtual.onHook')}
        </span>
      </div>
      <button
        type="button"
        className={offHook ? 'handset lifted' : 'handset'}
        aria-pressed={offHook}
        data-testid="virtual-handset"
        onClick={() => void client.invoke('device.virtual.handset', { offHook: !offHook })}
      >
        {offHook ? t('virtual.hangUp') : t('virtual.lift')}
      </button>
      <Keypad
        testIdPrefix="virtual-key"
        onPress={(key) => void client.invoke('device.virtual.press', { key })}
      />
      <button type="button" className="secondary" onClick={() => void client.invoke('device.virtual.flash')}>
        {t('virtual.flash')}
      </button>
    </div>
  )
}
