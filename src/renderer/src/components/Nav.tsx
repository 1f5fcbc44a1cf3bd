/**
 * The navigation rail: one link per area, the current one marked for assistive technology too. The first-paint
 * script (../first-paint/) draws the same markup before the app's code has loaded: change both together
 * (test/e2e/first-paint.spec.ts holds them equal).
 */
import { useTranslation } from 'react-i18next'
import { PAGES, type PageName } from '../pages'
import { NAV_ICONS } from './nav-icons'

export function Nav({ current }: { current: PageName }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <nav className="nav" aria-label={t('app.navLabel')}>
      <div className="brand" aria-hidden="true">
        <img src="./favicon.svg" alt="" width={28} height={28} />
        <span>{t('app.name')}</span>
      </div>
      <ul>
        {PAGES.map((name) => (
          <li key={name}>
            <a
              href={`#/${name}`}
              aria-current={current === name ? 'page' : undefined}
              data-testid={`nav-${name}`}
            >
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d={NAV_ICONS[name]} fill="currentColor" />
              </svg>
              <span>{t(`nav.${name}`)}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
