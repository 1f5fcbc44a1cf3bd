/**
 * The status bar: device, line and account service at a glance, live from main's events. Without a connection
 * to Dialtone (the page's own) it says so in the service's place, never the last "Service online" it heard. A
 * change of the line's state after the first one known is said to a screen reader on every page (the line ready,
 * offline, failed and why; not each "Connecting…" between), from a region that is empty at first, as the
 * first-paint script draws it (first-paint/paint.ts).
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DeviceChanged } from '../../../shared/ipc/device'
import type { LineStatus } from '../../../shared/ipc/phone'
import { useEvent, useQuery } from '../bridge/dialtone-context'
import { pageFromHash } from '../page-from-hash'
import { type Saying, useFresh } from './Said'
import { useFromHash } from '../use-from-hash'

export function StatusBar({ connected = true }: { connected?: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  const devices = useQuery('device.list')
  const phone = useQuery('phone.status')
  const service = useQuery('account.serviceStatus')
  const { update: updateDevices } = devices
  const { update: updateLine } = phone
  useEvent(
    'device.changed',
    useCallback(
      (e: DeviceChanged) => updateDevices(() => ({ hotplug: e.hotplug, devices: e.devices, usb: e.usb })),
      [updateDevices]
    )
  )
  useEvent(
    'phone.statusChanged',
    useCallback((s: LineStatus) => updateLine(() => s), [updateLine])
  )
  const deviceCount = devices.data ? devices.data.devices.length : null
  const line = phone.data ?? null

  const shownProblem =
    line?.problem && line.state !== 'registered' && line.problem !== 'stopped' ? line.problem : null
  const lineText = line
    ? t(`status.line.${line.state}`) + (shownProblem ? `: ${t(`line.short.${shownProblem}`)}` : '')
    : null
  // Where the page says the line's problem itself (an alert), the status bar does not say it a second time.
  const page = useFromHash(pageFromHash)
  const saidElsewhere = shownProblem !== null && PAGES_SAYING_LINE_PROBLEMS.has(page)
  const lineSaid = useFresh(
    useLineChangeSaid(
      line === null ? undefined : line.state === 'registering' ? null : `${line.state}:${shownProblem}`,
      saidElsewhere ? '' : (lineText ?? '')
    )
  )

  const deviceText = devices.error
    ? t('status.deviceError')
    : deviceCount === null
      ? t('status.checking')
      : deviceCount === 0
        ? t('status.deviceNone')
        : t('status.deviceCount', { count: deviceCount })
  const serviceText = !connected
    ? t('status.noConnection')
    : service.loading
      ? t('status.checking')
      : service.data?.reachable
        ? t('status.serviceOnline')
        : t('status.serviceOffline')

  return (
    <footer className="statusbar" aria-label={t('status.label')}>
      <span
        data-testid="status-device"
        className={devices.error ? 'dot bad' : deviceCount ? 'dot ok' : 'dot idle'}
      >
        {deviceText}
      </span>
      <span
        data-testid="status-line"
        className={
          line?.state === 'registered'
            ? 'dot ok'
            : line?.problem && line.problem !== 'stopped'
              ? 'dot bad'
              : 'dot idle'
        }
      >
        {lineText ?? t('status.checking')}
      </span>
      <span
        data-testid="status-service"
        className={connected && service.data?.reachable ? 'dot ok' : 'dot bad'}
      >
        {serviceText}
      </span>
      <span className="said unseen" role="status" data-testid="status-said">
        {lineSaid.text && <span key={lineSaid.n}>{lineSaid.text}</span>}
      </span>
    </footer>
  )
}

/** The pages that show a line's problem as an alert of their own (LineProblem): the Phone page, the setup wizard. */
const PAGES_SAYING_LINE_PROBLEMS: ReadonlySet<string> = new Set(['phone', 'device'])

/**
 * The words to say when the line's state changes, compared by `key` (its state and problem: a change of the app's
 * language is not news). `undefined`: nothing known yet (the first state known is not news, unless it was
 * "Connecting…"); `null`: connecting, between states, which keeps the last state said to compare the next with.
 * So a start's "Connecting…" then "Line ready" says "Line ready"; the page opening on a ready line says nothing; a
 * line that drops says why. Not Said's useSaidOnChange, whose `null` takes the words back so that the same facts
 * coming back are said again: here a line back to the state it left while connecting is not news. Both regions
 * empty themselves once said (useFresh).
 */
function useLineChangeSaid(key: string | null | undefined, words: string): Saying {
  const last = useRef<string | null | undefined>(undefined)
  const [said, setSaid] = useState<Saying>({ text: '', n: 0 })
  useEffect(() => {
    if (key === undefined) return
    if (key === null) {
      if (last.current === undefined) last.current = null
      return
    }
    const changed = last.current !== undefined && last.current !== key
    last.current = key
    if (!changed || words === '') return
    setSaid((s) => ({ text: words, n: s.n + 1 }))
    // The words follow the key; a new language alone must not say the state again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return said
}
