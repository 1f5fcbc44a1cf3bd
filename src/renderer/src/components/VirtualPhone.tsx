/**
 * The virtual dongle's analog phone, on screen: a handset to lift and hang up, a keypad, hook flash, the line's
 * lamps (powered, ringing, hook; each said in words, not only by colour), and what the earpiece hears now (dial
 * tone, ringing, busy, the call, or nothing while the line is down). Every press goes to main as the same input
 * report the real dongle sends, so the whole stack above the driver is exercised.
 */
import { useTranslation } from 'react-i18next'
import type { Device } from '../../../shared/ipc/device'
import { isolate } from '../../../shared/i18n/bidi'
import { useDialtone } from '../bridge/dialtone-context'
import { who } from './phone/CallPanel'
import { useCallState, useLineStatus } from './phone/use-call-state'
import { Keypad } from './Keypad'
import { logFailure } from '../log'
import { usePhoneNumbers } from '../phone-numbers'

export function VirtualPhone({ device }: { device: Device }): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const { offHook, ringing, linePower } = device.line
  const call = useCallState().data
  const lineUp = useLineStatus().data?.state === 'registered'
  const phase = call?.phase
  const hears = !phase
    ? null
    : !lineUp && (phase === 'idle' || phase === 'dialTone' || phase === 'noLine')
      ? t(offHook ? 'virtual.hearsNothing' : 'phone.phase.lineDown')
      : t(`phone.phase.${phase}`, { digits: isolate(call.digits) })
  return (
    <div className="virtual-phone" data-testid="virtual-phone" aria-label={t('virtual.title')} role="group">
      <div className="lamps" aria-live="polite">
        <span className={linePower ? 'lamp on' : 'lamp'} data-testid="virtual-power">
          {linePower ? t('virtual.linePower') : t('virtual.lineUnpowered')}
        </span>
        <span className={ringing ? 'lamp ringing' : 'lamp'} data-testid="virtual-ringing">
          {ringing ? t('virtual.ringing') : t('virtual.quiet')}
        </span>
        <span className={offHook ? 'lamp on' : 'lamp'} data-testid="virtual-hook">
          {offHook ? t('virtual.offHook') : t('virtual.onHook')}
        </span>
      </div>
      {hears && (
        <p className="virtual-hears" aria-live="polite" data-testid="virtual-line" data-phase={phase}>
          {hears}
          {call?.call && (
            <>
              {' · '}
              {t(call.call.direction === 'in' ? 'phone.from' : 'phone.to', {
                remote: who(call.call.remote, t, phone)
              })}
            </>
          )}
        </p>
      )}
      {/* Named by what it does ("Lift the handset", "Hang up"), as its visible words say, and so not a toggle
          button: aria-pressed with an action's name read "Hang up, pressed". The handset's state is said by the hook
          lamp above, in words. */}
      <button
        type="button"
        className={offHook ? 'handset lifted' : 'handset'}
        data-testid="virtual-handset"
        onClick={() =>
          void client
            .invoke('device.virtual.handset', { offHook: !offHook })
            .catch(logFailure('VirtualPhone: client.invoke'))
        }
      >
        {offHook ? t('virtual.hangUp') : t('virtual.lift')}
      </button>
      <Keypad
        testIdPrefix="virtual-key"
        onPress={(key) =>
          void client.invoke('device.virtual.press', { key }).catch(logFailure('VirtualPhone: client.invoke'))
        }
      />
      <button
        type="button"
        className="secondary"
        onClick={() =>
          void client.invoke('device.virtual.flash').catch(logFailure('VirtualPhone: client.invoke'))
        }
      >
        {t('virtual.flash')}
      </button>
    </div>
  )
}
