/**
 * Device: each dongle found ("Device Detected") with its setup wizard, or what to do when there is none; the raw
 * USB view below.
 */
import { lazy, Suspense, useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PayloadOf } from '../../../shared/ipc/contract'
import type { DeviceChanged } from '../../../shared/ipc/device'
import { useEvent, useQuery } from '../bridge/dialtone-context'
import { DeviceCard } from '../components/DeviceCard'
import { usePowerVerdicts } from '../components/PowerVerdict'
import { UsbTable } from '../components/UsbTable'
import { TechnicalDetails } from '../components/TechnicalDetails'
import { Loading } from '../components/Loading'

// The wizard (activation, sign-in, the E911 address, the line's state) is shown only beside a dongle: its own chunk,
// so the page without one (the first page of a new start) does not fetch it.
const SetupWizard = lazy(() =>
  import('../components/setup/SetupWizard').then((m) => ({ default: m.SetupWizard }))
)

export function DevicePage(): React.JSX.Element {
  const { t } = useTranslation()
  const query = useQuery('device.list')
  const { update } = query
  useEvent(
    'device.changed',
    useCallback(
      (e: DeviceChanged) => update(() => ({ devices: e.devices, usb: e.usb, hotplug: e.hotplug })),
      [update]
    )
  )
  // A setup that waits for its dongle to come back: said even when there is no dongle on the page to show it.
  const [paused, setPaused] = useState<ReadonlySet<string>>(new Set())
  useEvent(
    'setup.progress',
    useCallback(
      (s: PayloadOf<'setup.progress'>) =>
        setPaused((prev) => {
          const next = new Set(prev)
          if (s.unplugged === true && s.status === 'waiting') next.add(s.deviceKey)
          else next.delete(s.deviceKey)
          return next
        }),
      []
    )
  )
  // A set-up dongle missing since start, or dropping out again and again (main's dongle watch): said here too,
  // for the web host, which has no desktop notifications.
  const [trouble, setTrouble] = useState<PayloadOf<'device.trouble'> | null>(null)
  useEvent(
    'device.trouble',
    useCallback((e: PayloadOf<'device.trouble'>) => setTrouble(e), [])
  )
  const data = query.data
  const power = usePowerVerdicts((data?.devices ?? []).map((d) => `${d.id}:${d.state}`).join(','))

  return (
    <section aria-labelledby="device-title">
      <header className="page-head">
        <h1 id="device-title">{t('device.title')}</h1>
        <button type="button" onClick={query.refresh} data-testid="device-refresh">
          {t('device.refresh')}
        </button>
      </header>
      {query.error && (
        <div className="banner error" role="alert" data-testid="device-error">
          <p>{t('device.errorPlain')}</p>
          <TechnicalDetails text={query.error.message} />
        </div>
      )}
      {trouble && (
        <div className="banner warn" role="alert" data-testid="device-trouble" data-kind={trouble.kind}>
          <p>{t(`device.trouble.${trouble.kind}`)}</p>
          <p>
            <a href="#/diagnostics">{t('diagnostics.title')}</a>
          </p>
        </div>
      )}
      {data && data.devices.length === 0 && (
        <div className="card empty" data-testid="device-empty">
          <h2>{t('device.none')}</h2>
          <p>{t('device.noneHint')}</p>
          <p>
            {t('device.noneVirtual')}{' '}
            <a href="#/settings" data-testid="device-open-virtual">
              {t('device.openVirtualSetting')}
            </a>
          </p>
          {paused.size > 0 && (
            <p className="note" role="status" data-testid="setup-paused">
              {t('setup.paused')}
            </p>
          )}
          {!data.hotplug && <p className="muted">{t('device.hotplugOff')}</p>}
        </div>
      )}
      {data?.devices.map((d) => (
        // Side by side on a wide window: the wizard's step that needs the person is in view without scrolling
        // past the dongle's card and its virtual handset (the newcomer's README run had to scroll to find it).
        <div className="device-pair" key={d.id} data-testid="device-pair">
          <DeviceCard device={d} power={power.get(d.id)} />
          <Suspense fallback={<Loading />}>
            <SetupWizard device={d} />
          </Suspense>
        </div>
      ))}
      {data && (
        <details className="card">
          <summary>
            <h2>{t('device.usbList')}</h2>
          </summary>
          <UsbTable usb={data.usb} />
        </details>
      )}
    </section>
  )
}
