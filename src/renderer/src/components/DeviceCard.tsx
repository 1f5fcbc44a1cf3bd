/**
 * One detected dongle: picture, model, state, serial, firmware (as the dongle reports it, "checking…" until it
 * has), USB release, interfaces, power, and any problem with its fix.
 * The virtual dongle's handset (and its keypad) is a chunk of its own: the first page of a new start, with no
 * dongle or a real one, never fetches it.
 */
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import type { Device } from '../../../shared/ipc/device'
import { pictureUrl } from '../pictures'
import type { Verdict } from '../../../shared/diagnostics/verdicts'
import { PowerVerdict } from './PowerVerdict'
import { isolate } from '../../../shared/i18n/bidi'
import { TechnicalDetails } from './TechnicalDetails'

const VirtualPhone = lazy(() => import('./VirtualPhone').then((m) => ({ default: m.VirtualPhone })))

export function DeviceCard({ device, power }: { device: Device; power?: Verdict }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const n = new Intl.NumberFormat(i18n.language)
  const picture = pictureUrl(device.model.picture)
  const ifaces = (['audio', 'hidTelephony', 'storage'] as const).filter((k) => device.interfaces[k])
  const { needMa, declaredMa, selfPowered } = device.power
  return (
    <article className="card device" data-testid={`device-${device.id}`} aria-labelledby={`dev-${device.id}`}>
      <header className="device-head">
        {picture && <img src={picture} alt="" width={160} height={80} />}
        <div>
          <p className="eyebrow">{t('device.detected')}</p>
          <h2 id={`dev-${device.id}`}>{device.model.name}</h2>
          {device.model.maker && <p className="muted">{device.model.maker}</p>}
          <p>
            <span className={`chip state-${device.state}`} data-testid="device-state">
              {t(`device.state.${device.state}`)}
            </span>
            {device.virtual && (
              <span className="chip virtual" data-testid="virtual-badge">
                {t('device.virtualBadge')}
              </span>
            )}
          </p>
        </div>
      </header>
      {device.problem && (
        <div className="banner error" role="alert" data-testid="device-problem">
          <strong>{t(`device.problem.${device.problem.code}`)}</strong>
          <p>
            {t('device.fix')}: {t(`device.problemFix.${device.problem.code}`)}
          </p>
          {(device.problem.code === 'OPEN_FAILED' || device.problem.code === 'DESCRIPTOR_UNREADABLE') && (
            <p>
              <a href="#/diagnostics">{t('device.openDiagnostics')}</a>
            </p>
          )}
          <TechnicalDetails
            text={[device.problem.message, device.problem.fix].filter(Boolean).join(' ')}
            testId="device-problem-detail"
          />
        </div>
      )}
      <dl className="facts">
        <dt>{t('device.serial')}</dt>
        <dd>{isolate(device.serial ?? t('device.unknown'))}</dd>
        {/* The version the dongle reports over the firmware protocol; until it has answered, "checking…";
            without the protocol, unknown. Never the USB release (bcdDevice), which has its own line. */}
        <dt>{t('device.firmware')}</dt>
        <dd data-testid="device-firmware" data-known={device.firmwareVersion !== null}>
          {device.firmwareVersion !== null
            ? isolate(device.firmwareVersion)
            : device.firmwareChecking
              ? t('device.firmwareChecking')
              : t('device.unknown')}
        </dd>
        <dt>{t('device.usbRelease')}</dt>
        <dd data-testid="device-usb-release">{isolate(device.firmware)}</dd>
        <dt>{t('device.interfaces')}</dt>
        <dd>{ifaces.map((k) => t(`device.iface.${k}`)).join(' · ')}</dd>
        <dt>{t('device.power')}</dt>
        <dd data-testid="device-power">
          {[
            needMa !== null ? t('device.powerNeed', { need: n.format(needMa) }) : null,
            declaredMa !== null ? t('device.powerDeclared', { declared: n.format(declaredMa) }) : null,
            selfPowered === null ? null : selfPowered ? t('device.selfPowered') : t('device.busPowered')
          ]
            .filter(Boolean)
            .join(' · ') || t('device.unknown')}
        </dd>
      </dl>
      <PowerVerdict verdict={power} />
      {device.virtual && device.state !== 'gone' && (
        <Suspense fallback={null}>
          <VirtualPhone device={device} />
        </Suspense>
      )}
    </article>
  )
}
