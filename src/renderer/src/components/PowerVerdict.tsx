/** The Device page's compact power check for one dongle: the first power verdict the diagnostics give for it. */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Verdict } from '../../../shared/diagnostics/verdicts'
import { useDialtone } from '../bridge/dialtone-context'

/** Checks the ports again whenever the set of dongles changes (`key`). */
export function usePowerVerdicts(key: string): Map<string, Verdict> {
  const client = useDialtone()
  const [verdicts, setVerdicts] = useState(new Map<string, Verdict>())
  useEffect(() => {
    let live = true
    client.invoke('diagnostics.inspect', { maskSerials: true }).then(
      (r) => {
        if (!live) return
        const byDevice = new Map<string, Verdict>()
        for (const v of r.verdicts) if (v.deviceId && !byDevice.has(v.deviceId)) byDevice.set(v.deviceId, v)
        setVerdicts(byDevice)
      },
      () => undefined // the Diagnostics page shows inspection errors; the Device page stays quiet
    )
    return () => {
      live = false
    }
  }, [client, key])
  return verdicts
}

export function PowerVerdict({ verdict }: { verdict: Verdict | undefined }): React.JSX.Element | null {
  const { t } = useTranslation()
  if (!verdict) return null
  return (
    <p className={`power-verdict ${verdict.severity}`} data-testid="power-verdict">
      <strong>{t('device.powerCheck')}:</strong> {t(`verdict.${verdict.code}.title`)}.{' '}
      <a href="#/diagnostics">{t('diagnostics.title')}</a>
    </p>
  )
}
