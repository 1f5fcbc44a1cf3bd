/**
 * The app's own updates, in Settings' About card (src/main/setup/app-updates.ts says what each state means): the
 * state in words, "Check for updates" whenever a look can be asked for, and "Restart to update" once a version is
 * downloaded (refused during a call, which the refusal says). The sentences that say "Update Dialtone" link here
 * (remedies.ts UPDATES), so this is where a person can do it. A change of state is said once (a download when it
 * starts and when it is ready, a failure; a look and its "up to date" only when the person asked for it): the
 * shown state is not a live region, as it changes at every progress event and the <progress> already carries the
 * percentage.
 */
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppUpdateState } from '../../../shared/ipc/app'
import { useAction, useDialtone, useEvent, useQuery } from '../bridge/dialtone-context'
import { formatMoment } from '../format-intl'
import { logFailure } from '../log'
import { FormError } from './Field'
import { Said, useSaidOnChange } from './Said'

/** What a state tells, the same in every language; a download's progress is not a change of state. */
function stateKey(s: AppUpdateState): string {
  switch (s.status) {
    case 'idle':
      return `idle ${s.checkedAt ?? ''}`
    case 'downloading':
    case 'ready':
      return `${s.status} ${s.version}`
    case 'failed':
      return `failed ${s.at}`
    default:
      return s.status
  }
}

export function AppUpdates(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const state = useQuery('app.update.state')
  const { update } = state
  useEvent(
    'app.updateChanged',
    useCallback((next: AppUpdateState) => update(() => next), [update])
  )
  // A look the person asked for is said as it goes ("Looking…", "up to date"); the app's own looks every few hours
  // are not news, only what they find (a download, a version ready, a failure).
  // The state's key when the person asked: the look's answer is the next state after it that is not "Looking…".
  const [askedFrom, setAskedFrom] = useState<string | null>(null)
  const check = useAction(async () => {
    setAskedFrom(state.data ? stateKey(state.data) : '')
    const next = await client.invoke('app.update.check')
    update(() => next)
    return next
  })
  const install = useAction(() => client.invoke('app.update.install'))
  const s = state.data
  const when = (iso: string) => formatMoment(iso, i18n.language)
  const shownState = (): string => {
    switch (s?.status) {
      case undefined:
        return ''
      case 'idle':
        return s.checkedAt
          ? t('settings.updates.upToDate', { when: when(s.checkedAt) })
          : t('settings.updates.notYet')
      case 'checking':
        return t('settings.updates.checking')
      case 'downloading':
        return t('settings.updates.downloading', { version: s.version, percent: s.percent })
      case 'ready':
        return t('settings.updates.ready', { version: s.version })
      case 'failed':
        return t('settings.updates.failed', { when: when(s.at) })
      case 'unavailable':
        return t('settings.updates.unavailable')
    }
  }
  // Said when the state changes after the page opened; a download only as it starts, without its percentage.
  // The app's own looks are known but have no words (the answer to a look asked for stays until heard), and what
  // one finds is news: the page opened on "not looked yet" and a background look finding a version is said.
  const asked = askedFrom !== null
  // Asked for: nothing to tell until the state moves from where the click found it.
  const quiet =
    s !== undefined && (asked ? stateKey(s) === askedFrom : s.status === 'checking' || s.status === 'idle')
  const said = useSaidOnChange(
    s === undefined ? undefined : quiet ? 'quiet' : stateKey(s),
    s === undefined || quiet
      ? ''
      : s.status === 'downloading'
        ? t('settings.updates.downloadStarted', { version: s.version })
        : shownState(),
    false
  )
  // The look asked for has its answer (said in this render): the next looks are the app's own again.
  const answered = asked && s !== undefined && s.status !== 'checking' && stateKey(s) !== askedFrom
  useEffect(() => {
    if (answered) setAskedFrom(null)
  }, [answered])
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
      <Said said={said} look="unseen" testId="app-updates-said" />
      {s && <p data-testid="app-updates-state">{shownState()}</p>}
      {s && s.status !== 'unavailable' && (
        <>
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
