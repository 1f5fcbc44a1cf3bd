/**
 * A place on a page that an address can ask for (`#/account/overview?focus=balance`): a link that sends the person
 * somewhere to act (remedies.ts, the Help page's answers) brings that place into view and focuses it, once. The
 * query is taken off the address after, so a later visit to the page does not jump there again.
 */
import { useEffect } from 'react'
import { focusFromHash } from './pages'

/**
 * Focuses what `target` returns (a heading with tabIndex -1, or a form's field) when the address asks for `focus`,
 * now and on each later change of the address; nothing while `enabled` is false (of several lines, the first).
 * `target` is read after each render until the address no longer asks, so a place drawn once its data came is
 * found then.
 */
export function useFocusWhenAsked(
  focus: string,
  target: () => HTMLElement | null | undefined,
  enabled = true
): void {
  useEffect(() => {
    if (!enabled) return
    const go = (): void => {
      if (focusFromHash(window.location.hash) !== focus) return
      const element = target()
      if (!element) return
      if (document.activeElement !== element) {
        element.scrollIntoView({ block: element instanceof HTMLInputElement ? 'center' : 'start' })
        element.focus()
      }
      history.replaceState(null, '', window.location.hash.replace(/\?.*$/, ''))
    }
    go()
    window.addEventListener('hashchange', go)
    return () => window.removeEventListener('hashchange', go)
  }, [focus, target, enabled])
}
