/**
 * Diagnostics, for technicians: the USB system, a full port-power check with the verdict first, the USB tree
 * with the dongle's path, the live plug/unplug log, and the report to attach to a ticket (JSON or printable), which
 * Help's support form sends with a request. Every sentence is the app's; what the OS or the device layer wrote
 * (a device error's text, a verdict's evidence) is folded under "Technical details".
 */
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HotplugEvent } from '../../../shared/diagnostics/observations'
import type { DiagnosticsReport } from '../../../shared/diagnostics/report'
import { asDialtoneError, useDialtone, useEvent, useQuery } from '../bridge/dialtone-context'
import type { DialtoneError } from '../../../shared/ipc/errors'
import { FormError } from '../components/Field'
import { UsbTree } from '../components/UsbTree'
import { VerdictCard } from '../components/VerdictCard'
import { download } from '../download'
import { logFailure } from '../log'
import { TechnicalDetails } from '../components/TechnicalDetails'
import { SUPPORT } from '../remedies'
import { useSession } from '../session'
import { Said, useSaid } from '../components/Said'

/**
 * The check's outcome in a sentence: the report card itself is not a live region (it would be read whole). Problems
 * and warnings are counted apart, as the cards name them ("Problem", "Warning").
 */
function finished(report: DiagnosticsReport, t: ReturnType<typeof useTranslation>['t']): string {
  if (report.health !== 'problems') return t(`diagnostics.finished.${report.health}`)
  const problems = report.verdicts.filter((v) => v.severity === 'problem').length
  const warnings = report.verdicts.filter((v) => v.severity === 'warning').length
  if (problems === 0) return t('diagnostics.finished.warnings', { count: warnings })
  const said = t('diagnostics.finished.problems', { count: problems })
  return warnings === 0 ? said : `${said} ${t('diagnostics.finished.alsoWarnings', { count: warnings })}`
}

export function DiagnosticsPage(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const usb = useQuery('diagnostics.usbStack')
  const perms = useQuery('setup.permissions')
  const events = useQuery('diagnostics.events')
  const { update: updateEvents } = events
  const [report, setReport] = useState<DiagnosticsReport | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<DialtoneError | undefined>(undefined)
  const [mask, setMask] = useState(true)
  const signedIn = useSession().data?.signedIn === true
  const { said, say } = useSaid()
  useEvent(
    'diagnostics.event',
    useCallback(
      (e: HotplugEvent) => updateEvents((prev) => ({ events: [...(prev?.events ?? []), e] })),
      [updateEvents]
    )
  )
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' })

  const check = async (): Promise<void> => {
    setBusy(true)
    try {
      const next = await client.invoke('diagnostics.inspect', { maskSerials: mask })
      setReport(next)
      setError(undefined)
      // Each check is said, "Check again" too (a new node even for the same words).
      say(finished(next, t))
    } catch (err) {
      setError(asDialtoneError(err))
    } finally {
      setBusy(false)
    }
  }
  const exportAs = async (format: 'json' | 'html'): Promise<void> => {
    try {
      const file = await client.invoke('diagnostics.export', { format, maskSerials: mask })
      download(file.fileName, file.mimeType, file.content)
    } catch (err) {
      setError(asDialtoneError(err))
    }
  }

  return (
    <section aria-labelledby="diag-title">
      <header className="page-head">
        <h1 id="diag-title">{t('diagnostics.title')}</h1>
        <button
          type="button"
          onClick={() => void check().catch(logFailure('DiagnosticsPage: check'))}
          disabled={busy}
          data-testid="diag-check"
        >
          {busy ? t('diagnostics.checking') : t('diagnostics.check')}
        </button>
      </header>
      {/* With the way to act when the sentence names a place (an update, support). */}
      <FormError error={error} testId="diag-error" />
      <Said said={said} look="unseen" testId="diag-said" />
      {report && (
        <div className="card" data-testid="diag-report">
          <h2 data-testid="diag-health">{t(`diagnostics.health.${report.health}`)}</h2>
          {report.verdicts.map((v, i) => (
            <VerdictCard key={`${v.code}-${v.deviceId ?? i}`} verdict={v} />
          ))}
          {report.topology.length > 0 && (
            <>
              <h3>{t('diagnostics.topology')}</h3>
              <UsbTree nodes={report.topology} />
            </>
          )}
          <div className="row-actions">
            <label className="inline">
              <input
                type="checkbox"
                checked={mask}
                onChange={(e) => setMask(e.target.checked)}
                data-testid="diag-mask"
              />
              {t('diagnostics.mask')}
            </label>
            <button
              type="button"
              className="secondary"
              onClick={() => void exportAs('json').catch(logFailure('DiagnosticsPage: exportAs'))}
              data-testid="diag-export-json"
            >
              {t('diagnostics.exportJson')}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => void exportAs('html').catch(logFailure('DiagnosticsPage: exportAs'))}
              data-testid="diag-export-html"
            >
              {t('diagnostics.exportHtml')}
            </button>
            {/* The report "for a ticket": Help's support form sends it with the request, ticked by default.
                Signed out, Help has no form, only support's address: the exported file goes by email. */}
            <a href={SUPPORT.href} data-testid="diag-to-help">
              {t(signedIn ? 'diagnostics.toSupport' : 'diagnostics.toSupportByEmail')}
            </a>
          </div>
        </div>
      )}
      <div className="card">
        <dl className="facts">
          <dt>{t('diagnostics.usbStack')}</dt>
          <dd data-testid="diag-usb">
            {usb.data && (usb.data.available ? t('diagnostics.usbOk') : t('diagnostics.usbDownPlain'))}
            {usb.data && !usb.data.available && usb.data.error && <TechnicalDetails text={usb.data.error} />}
          </dd>
          <dt>{t('diagnostics.hotplug')}</dt>
          <dd>{usb.data && (usb.data.hotplug ? t('diagnostics.yes') : t('diagnostics.no'))}</dd>
          <dt>{t('diagnostics.permissions')}</dt>
          <dd data-testid="diag-perms">
            {perms.data && t(`diagnostics.perm.${perms.data.status}`, { path: perms.data.rulePath ?? '' })}
          </dd>
        </dl>
      </div>
      <div className="card">
        <h2>{t('diagnostics.events')}</h2>
        {events.data && events.data.events.length === 0 && (
          <p className="muted">{t('diagnostics.noEvents')}</p>
        )}
        {/* A region of its own that takes focus: the log scrolls past its height, and a keyboard must scroll it. */}
        <div className="event-log" role="region" tabIndex={0} aria-label={t('diagnostics.events')}>
          {/* Each line in its own sentence's direction (a Persian event reads right to left); only the time and
              the device id, which are left-to-right values, are kept so. */}
          <ol data-testid="diag-events">
            {[...(events.data?.events ?? [])]
              .reverse()
              .slice(0, 200)
              .map((e, i) => (
                <li
                  key={`${e.time}-${i}`}
                  className={`event-${e.kind}`}
                  data-testid={`diag-event-${e.kind}`}
                  dir="auto"
                >
                  <time dateTime={e.time} dir="ltr">
                    {time.format(new Date(e.time))}
                  </time>{' '}
                  {t(`diagnostics.event.${e.kind}`)}{' '}
                  <span dir="ltr" data-testid="diag-event-device">
                    {e.deviceId}
                  </span>
                  {/* Why it failed in the person's words (the Device page's for the same code); the device layer's
                    or the OS's own text stays folded, for a ticket. */}
                  {e.problem && (
                    <>
                      {' — '}
                      <span dir="auto" data-testid="diag-event-problem">
                        {t(`device.problem.${e.problem}`)}
                      </span>
                    </>
                  )}
                  {e.detail && <TechnicalDetails text={e.detail} testId="diag-event-detail" />}
                </li>
              ))}
          </ol>
        </div>
      </div>
    </section>
  )
}
