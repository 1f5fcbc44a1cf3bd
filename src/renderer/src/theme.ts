/** Light and dark themes: the setting, or the system's preference when the setting is 'system'. */
import type { Settings } from '../../shared/settings'

export function applyTheme(theme: Settings['theme']): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)')
  const apply = (): void => {
    const dark = theme === 'dark' || (theme === 'system' && media.matches)
    document.documentElement.dataset.theme = dark ? 'dark' : 'light'
  }
  apply()
  media.addEventListener('change', apply)
  return () => media.removeEventListener('change', apply)
}
