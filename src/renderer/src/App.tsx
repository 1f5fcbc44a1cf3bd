/**
 * The shell: navigation, the selected page, the status bar; settings drive language and theme. Each page is its
 * own chunk of the build, loaded when first shown, so the first paint waits only for the shell and one page; a page
 * that cannot load or draw says so in words (components/PageFailed.tsx) instead of blanking the window.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Settings } from '../../shared/settings'
import { useEvent, useQuery } from './bridge/dialtone-context'
import type { ConnectionState } from './bridge/ws-transport'
import { Loading } from './components/Loading'
import { Nav } from './components/Nav'
import { PageBoundary } from './components/PageFailed'
import { StatusBar } from './components/StatusBar'
import { loadLaterWords, switchLanguage } from './i18n'
import { dialFromHash, pageFromHash, type PageName } from './pages'
import { applyTheme } from './theme'
import { logFailure } from './log'
import { isRoute, skipToContent } from './skip-link'

/**
 * A page not shown first: its code and the rest of the person's words load together when it is first shown
 * (the first page's words come first, scripts/locale-split.ts, which reads the pages named here).
 */
const laterPage = <P extends object>(
  load: () => Promise<React.ComponentType<P>>
): React.LazyExoticComponent<React.ComponentType<P>> =>
  lazy(() => Promise.all([load(), loadLaterWords()]).then(([page]) => ({ default: page })))

const DevicePage = lazy(() => import('./pages/DevicePage').then((m) => ({ default: m.DevicePage })))
const AccountPage = laterPage(() => import('./pages/AccountPage').then((m) => m.AccountPage))
const DiagnosticsPage = laterPage(() => import('./pages/DiagnosticsPage').then((m) => m.DiagnosticsPage))
const HelpPage = laterPage(() => import('./pages/HelpPage').then((m) => m.HelpPage))
const PhonePage = laterPage(() => import('./pages/PhonePage').then((m) => m.PhonePage))
const SettingsPage = laterPage(() => import('./pages/SettingsPage').then((m) => m.SettingsPage))

type StateSource = ((listener: (s: ConnectionState) => void) => () => void) | null

export function App({ connectionState }: { connectionState: StateSource }): React.JSX.Element {
  const { t } = useTranslation()
  // The address without its query: the page, and where in it (an Account tab; a page that failed to draw tries
  // again when the person goes elsewhere in it).
  const [place, setPlace] = useState(() => window.location.hash.split('?', 1)[0] ?? '')
  const page = pageFromHash(place)
  const [connection, setConnection] = useState<ConnectionState>('open')
  const settingsQuery = useQuery('app.settings.get')
  const settings = settingsQuery.data
  const { update: updateSettings } = settingsQuery
  useEvent(
    'app.settingsChanged',
    useCallback((s: Settings) => updateSettings(() => s), [updateSettings])
  )
  useEvent(
    'app.navigate',
    useCallback(
      ({ page, section, dial }: { page: PageName; section?: string | undefined; dial: string | null }) => {
        window.location.hash = `#/${page}${section ? `/${section}` : ''}${dial ? `?dial=${encodeURIComponent(dial)}` : ''}`
      },
      []
    )
  )
  useEffect(() => connectionState?.(setConnection), [connectionState])
  useEffect(() => {
    const onHash = (): void => {
      if (isRoute(window.location.hash)) setPlace(window.location.hash.split('?', 1)[0] ?? '')
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  useEffect(() => {
    if (settings) void switchLanguage(settings.language).catch(logFailure('App: switchLanguage'))
  }, [settings])
  useEffect(() => applyTheme(settings?.theme ?? 'system'), [settings?.theme])
  // The window's title names the page, as a screen reader announces a new one (WCAG 2.4.2).
  useEffect(() => {
    document.title = `${t(`nav.${page}`)} – ${t('app.name')}`
  }, [page, t])

  return (
    <div className="shell">
      <a className="skip" href="#content" onClick={skipToContent}>
        {t('app.skip')}
      </a>
      <Nav current={page} />
      <main id="content" className="content" tabIndex={-1} data-testid={`page-${page}`}>
        {connection === 'closed' && (
          <p className="banner warn" role="status">
            {t('errors.disconnected')}
          </p>
        )}
        {connection === 'refused' || connection === 'stale' ? (
          // 'stale': this tab worked before and its key is now refused: Dialtone was restarted with a new one.
          <p className="banner error" role="alert" data-testid="refused" data-reason={connection}>
            {t(connection === 'stale' ? 'errors.stale' : 'errors.refused')}
          </p>
        ) : (
          // Each page its own boundary (key): a page that cannot be shown says so, and another one still opens.
          <PageBoundary key={page} place={place} title={t(`nav.${page}`)}>
            <Suspense fallback={<Loading />}>
              <CurrentPage page={page} settings={settings} />
            </Suspense>
          </PageBoundary>
        )}
      </main>
      <StatusBar connected={connection === 'open' || connection === 'connecting'} />
    </div>
  )
}

function CurrentPage({
  page,
  settings
}: {
  page: PageName
  settings: Settings | undefined
}): React.JSX.Element | null {
  switch (page) {
    case 'device':
      return <DevicePage />
    case 'phone':
      return <PhonePage key={window.location.hash} dialNumber={dialFromHash(window.location.hash)} />
    case 'account':
      return <AccountPage />
    case 'diagnostics':
      return <DiagnosticsPage />
    case 'help':
      return <HelpPage />
    case 'settings':
      return settings ? <SettingsPage settings={settings} /> : null
  }
}
