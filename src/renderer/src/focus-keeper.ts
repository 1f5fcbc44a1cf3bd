/**
 * Where the keyboard's focus goes when what held it goes away, for every screen at once (WCAG 2.4.3, 3.3.1). React
 * replaces a form by its next step, removes a row with its button, draws a call's controls by its phase, and
 * Chromium then drops the focus to the page's body: a keyboard user starts again from the top, a screen reader
 * says nothing. One observer of the document instead of a hook in every component that could do it:
 * - the control that had the focus left the page (a step, a row, a view, a page changed): the focus goes to what
 *   was drawn in its place (not words said about the change), else to the closest part of the page still there
 *   and not left empty: to its first heading (made focusable), else its first control;
 * - it was made `disabled` (a control waiting for something other than its own action): the focus comes back to
 *   it when it is enabled again, unless the person went elsewhere meanwhile;
 * - a form was refused with a field marked invalid while the focus was on the form's button (or lost): the focus
 *   goes to the first invalid field, whose description then reads the refusal.
 * Nothing moves the focus when the person put it somewhere (a click on the page's background leaves it there).
 */

const HEADINGS = 'h1, h2, h3, h4'
const CONTROLS =
  'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])'
/** The parts a refused field belongs to: its form, else the card or section that holds it. */
const FORM_PART = 'form, fieldset, section, .card'

const isLost = (doc: Document): boolean => doc.activeElement === null || doc.activeElement === doc.body

function focusOn(el: HTMLElement): void {
  if (!el.matches(CONTROLS) && !el.hasAttribute('tabindex')) el.tabIndex = -1
  el.focus()
}

/** The first heading of `part`, else its first control, else the part itself. */
function landingIn(part: HTMLElement): HTMLElement {
  return part.querySelector<HTMLElement>(HEADINGS) ?? part.querySelector<HTMLElement>(CONTROLS) ?? part
}

/**
 * Words said as they are drawn: the words an action says (inside Said.tsx's regions) and a live region drawn with
 * nothing to act on in it (a refusal's `role=alert`). Read out as they change, focused they would be read again (and
 * are often unseen). Not a view's placeholder ("Loading…", `.loading`): the focus waits there for the view, which
 * takes it when it replaces the placeholder; nor a live region that holds a heading or a control (a view).
 */
const LIVE = '[role="status"], [role="alert"], [aria-live]'
const isSaidWords = (node: HTMLElement): boolean =>
  node.matches('.said *') ||
  (node.matches(LIVE) && !node.matches('.loading') && node.querySelector(`${HEADINGS}, ${CONTROLS}`) === null)

/**
 * What was drawn inside `part` in the same change (the next step in place of the one removed), if anything; not
 * the words a live region says about the change (Said.tsx), drawn in the same change when the action said it.
 */
function replacementIn(records: MutationRecord[], part: HTMLElement): HTMLElement | undefined {
  for (const r of records)
    for (const node of r.addedNodes)
      if (node instanceof HTMLElement && node.isConnected && part.contains(node) && !isSaidWords(node))
        return node
  return undefined
}

/** Starts watching `doc`; returns the way to stop. */
export function keepFocus(doc: Document = document): () => void {
  let last: HTMLElement | null = null
  /** `last`'s ancestors, closest first, taken when it got the focus (once removed, it has none). */
  let trail: HTMLElement[] = []
  let lostToDisabled = false

  const onFocusIn = (event: FocusEvent): void => {
    if (!(event.target instanceof HTMLElement)) return
    last = event.target
    lostToDisabled = false
    trail = []
    for (let a = last.parentElement; a && a !== doc.body; a = a.parentElement) trail.push(a)
  }

  const refusedField = (records: MutationRecord[]): HTMLElement | undefined => {
    for (const r of records) {
      const el = r.target
      if (r.type !== 'attributes' || r.attributeName !== 'aria-invalid') continue
      if (!(el instanceof HTMLElement) || el.getAttribute('aria-invalid') !== 'true') continue
      const part = el.closest<HTMLElement>(FORM_PART)
      const active = doc.activeElement
      const fromButton = active instanceof HTMLButtonElement && part !== null && part.contains(active)
      if (!isLost(doc) && !fromButton) continue
      return part?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? el
    }
    return undefined
  }

  const observer = new MutationObserver((records) => {
    const field = refusedField(records)
    if (field) return focusOn(field)
    if (!last) return
    if (last.isConnected) {
      // Chromium may move the focus off a control made disabled only at its next rendering: noted either way.
      if ((last as HTMLButtonElement).disabled) lostToDisabled = true
      else if (lostToDisabled) {
        lostToDisabled = false
        if (isLost(doc)) last.focus()
      }
      return
    }
    if (!isLost(doc)) return
    // Not a part left empty (the list whose last row went): it would be read as nothing.
    // Not a part left empty (the list whose last row went): it would be read as nothing.
    const part = trail.find((a) => a.isConnected && (a.textContent ?? '').trim() !== '')
    if (part) focusOn(landingIn(replacementIn(records, part) ?? part))
  })

  // A press elsewhere (the page's background, text) is the person moving on: what held the focus before is no
  // longer theirs to be brought back to when it goes.
  const onPointerDown = (): void => {
    last = null
    trail = []
    lostToDisabled = false
  }
  doc.addEventListener('focusin', onFocusIn)
  doc.addEventListener('pointerdown', onPointerDown, true)
  observer.observe(doc.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['disabled', 'aria-invalid']
  })
  return () => {
    observer.disconnect()
    doc.removeEventListener('focusin', onFocusIn)
    doc.removeEventListener('pointerdown', onPointerDown, true)
  }
}
