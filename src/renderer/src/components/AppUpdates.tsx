/**
 * The app's own updates, in Settings' About card (src/main/setup/app-updates.ts says what each state means): the
 * state in words, "Check for updates" whenever a look can be asked for, and "Restart to update" once a version is
 * downloaded (refused during a call, which the refusal says). The sentences that say "Update Dialtone" link here
 * (remedies.ts UPDATES), so this is where a person can do it.
 */
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppUpdateState } from '../../../shared/ipc/app'
import { useAction, useDialtone, useEvent, useQuery } from '../bridge/dialtone-context'
import { formatMoment } from '../format-intl'
import { logFailure } from '../log'
import { FormError } from './Field'

export function AppUpdates(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const state = useQuery('app.update.state')
  const { update } = state
  useEvent(
    'app.updateChanged',
    useCallback((next: AppUpdateState) => update(() => next), [update])
  )
  const check = useAction(async () => {
    const next = await client.invoke('app.update.check')
    update(() => next)
    return next
  })
  const install = useAction(() => client.invoke('app.update.install'))
  const s = state.data
  const when = (iso: string) => formatMoment(iso, i18n.language)
  const button = (action: typeof check | typeof install, label: string, testId: string, busy = false) => (
    <p className="actions">
      <button
        type="button"
        disabled={action.pending || busy}
        onClick={() => void action.run().catch(logFailure(`AppUpdates: ${testId}`))}
        data-testid={testId}
      >
        {t(label)}
      </button>
    </p>
  )

  return (
    <div data-testid="app-updates">
      <h3>{t('settings.updates.title')}</h3>
      <FormError error={state.error} testId="app-updates-error" />
      {s?.status === 'unavailable' && (
        <p data-testid="app-updates-state">{t('settings.updates.unavailable')}</p>
      )}
      {s && s.status !== 'unavailable' && (
        <>
          <p role="status" data-testid="app-updates-state">
            {s.status === 'idle' &&
              (s.checkedAt
                ? t('settings.updates.upToDate', { when: when(s.checkedAt) })
                : t('settings.updates.notYet'))}
            {s.status === 'checking' && t('settings.updates.checking')}
            {s.status === 'downloading' &&
              t('settings.updates.downloading', { version: s.version, percent: s.percent })}
            {s.status === 'ready' && t('settings.updates.ready', { version: s.version })}
            {s.status === 'failed' && t('settings.updates.failed', { when: when(s.at) })}
          </p>
          {s.status === 'downloading' && (
            <progress max={100} value={s.percent} aria-label={t('settings.updates.title')} />
          )}
          {s.status !== 'ready' && <p>{t('settings.updates.auto')}</p>}
          {s.status === 'ready'
            ? button(install, 'settings.updates.install', 'app-updates-install')
            : button(
                check,
                'settings.updates.check',
                'app-updates-check',
                s.status !== 'idle' && s.status !== 'failed'
              )}
          <FormError error={check.error ?? install.error} testId="app-updates-refused" />
        </>
      )}
    </div>
  )
}
