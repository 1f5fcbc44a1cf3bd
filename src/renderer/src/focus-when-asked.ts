/**
 * A place on a page that an address can ask for (`#/account/overview?focus=balance`): a link that sends the person
 * somewhere to act (remedies.ts, the Help page's answers) brings that place into view and focuses it, once. The
 * query is taken off the address after, so a later visit to the page does not jump there again. Of several places
 * answering the same ask (each line's Re-Up form), the first drawn takes it.
 */
import { useEffect, useRef } from 'react'
import { focusFromHash } from './pages'

/**
 * Focuses what `target` returns (a heading with tabIndex -1, or a form's field) when the address asks for `focus`,
 * now and on each later change of the address; nothing while `enabled` is false (of several lines, the first).
 * A place drawn only once its data came is found after the render that draws it, while the address still asks.
 */
export function useFocusWhenAsked(
  focus: string,
  target: () => HTMLElement | null | undefined,
  enabled = true
): void {
  // What the address's change does, as of the last render (set after it: refs are not written while rendering).
  const go = useRef((): void => undefined)
  // Subscribed once per place: the listeners keep the order the places were drawn in.
  useEffect(() => {
    const onHash = (): void => go.current()
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  // After each render: a cheap look at the address, acting only while it asks for this place.
  useEffect(() => {
    go.current = (): void => {
      if (!enabled || focusFromHash(window.location.hash) !== focus) return
      const element = target()
      if (!element) return
      if (document.activeElement !== element) {
        element.scrollIntoView({ block: element instanceof HTMLInputElement ? 'center' : 'start' })
        element.focus()
      }
      history.replaceState(null, '', window.location.hash.replace(/\?.*$/, ''))
    }
    go.current()
  })
}
