/**
 * What an action just did, said once to a screen reader and shown beside the action (WCAG 4.1.3): a top-up, a
 * number blocked, an address removed. One region per place, in the page from the start and only its text changed:
 * a live region inserted already filled is announced unreliably. Empty, it takes no room (`.said:empty`).
 */
import { useCallback, useState } from 'react'

/** The sentence to say and the function that says a new one (the same sentence twice is said twice). */
export function useSaid(): { readonly said: string; readonly say: (text: string) => void } {
  const [said, setSaid] = useState('')
  const say = useCallback((text: string) => {
    // Emptied first, then filled on the next frame: a screen reader reads a change, and the same words are one.
    setSaid('')
    requestAnimationFrame(() => setSaid(text))
  }, [])
  return { said, say }
}

export function Said({
  text,
  testId,
  look = 'note'
}: {
  text: string
  testId: string
  /**
   * How it looks when it says something: an inline note, a banner across the card, or unseen (only said: what it
   * says is already on screen, as a field's hint that a screen reader would not read when it changes).
   */
  look?: 'note' | 'banner' | 'unseen'
}): React.JSX.Element {
  return (
    <p className={`${look} said`} role="status" data-testid={testId}>
      {text}
    </p>
  )
}
