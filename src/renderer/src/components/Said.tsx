/**
 * What an action just did, said once to a screen reader and shown beside the action (WCAG 4.1.3): a top-up, a
 * number blocked, an address removed. One region per place, in the page from the start and only its contents
 * changed: a live region inserted already filled is announced unreliably. Empty, it takes no room (`.said:empty`).
 * Each sentence said is a new node inside it, so the same words said twice (a second message from the same caller
 * marked heard) are a change, and read again.
 */
import { useCallback, useState } from 'react'

/** A sentence to say, and how many were said before it (the node's key). */
export interface Saying {
  readonly text: string
  readonly n: number
}

/** The sentence to say and the function that says a new one. */
export function useSaid(): { readonly said: Saying; readonly say: (text: string) => void } {
  const [said, setSaid] = useState<Saying>({ text: '', n: 0 })
  const say = useCallback((text: string) => setSaid((s) => ({ text, n: s.n + 1 })), [])
  return { said, say }
}

export function Said({
  said,
  testId,
  look = 'note'
}: {
  /** What to say: a Saying from useSaid, or words that change by themselves (a setting's answer). */
  said: Saying | string
  testId: string
  /**
   * How it looks when it says something: an inline note, a banner across the card, or unseen (only said: what it
   * says is already on screen, as a field's hint that a screen reader would not read when it changes).
   */
  look?: 'note' | 'banner' | 'unseen'
}): React.JSX.Element {
  const { text, n } = typeof said === 'string' ? { text: said, n: 0 } : said
  return (
    <p className={`${look} said`} role="status" data-testid={testId}>
      {text && <span key={n}>{text}</span>}
    </p>
  )
}
