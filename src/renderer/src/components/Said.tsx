/**
 * What an action just did, said once to a screen reader and shown beside the action (WCAG 4.1.3): a top-up, a
 * number blocked, an address removed. One region per place, in the page from the start and only its contents
 * changed: a live region inserted already filled is announced unreliably. Empty, it takes no room (`.said:empty`).
 * Each sentence said is a new node inside it, so the same words said twice (a second message from the same caller
 * marked heard) are a change, and read again. A region that tells a state rather than an action (a price previewed,
 * an update's state) says it when its facts change (useSaidOnChange), not at every render or every progress event.
 */
import { useCallback, useEffect, useState } from 'react'

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

/**
 * Words said when the facts they tell change, not at every render: `key` names the facts the same way in every
 * language, so a language switch alone is not news (as the status bar's line state). `undefined`: nothing known yet;
 * `null`: nothing to tell now (the preview went away; the words are taken back, and the same facts coming back are
 * said again). Facts with no words (`words` empty: a state not worth telling) are known but leave what was last said
 * as it is, for useFresh to take back once it has been heard. With `first` false the first facts known are not
 * said: the state a page opened on is not news.
 */
export function useSaidOnChange(key: string | null | undefined, words: string, first = true): Saying {
  const [now, setNow] = useState<{ key: string | null | undefined; said: Saying }>({
    key: undefined,
    said: { text: '', n: 0 }
  })
  if (key !== undefined && key !== now.key) {
    // Adjusted while rendering (React's pattern for state that follows a prop): said in the same paint as shown.
    const news = key !== null && (first || now.key !== undefined)
    setNow({
      key,
      said: key !== null && words === '' ? now.said : { text: news ? words : '', n: now.said.n + 1 }
    })
  }
  return now.said
}

/**
 * How long an unseen region keeps a sentence once said. Browsing the page later then reads what the page shows,
 * once, and in the page's language: a sentence kept would repeat it, or, after a language switch, say the old
 * language's words under the new one's voice (review 36b L2).
 */
export const SAID_FOR_MS = 5000

/** The sentence while it is fresh; nothing once SAID_FOR_MS have passed since it was said. */
export function useFresh(said: Saying | string): Saying {
  const { text, n } = typeof said === 'string' ? { text: said, n: 0 } : said
  // A string is said again only when it changes; a Saying at every new n.
  const id = `${n}:${text}`
  const [stale, setStale] = useState<string | null>(null)
  // Emptied by the page: the same words coming back later are news again (adjusted while rendering).
  if (!text && stale !== null) setStale(null)
  useEffect(() => {
    if (!text) return
    const timer = setTimeout(() => setStale(id), SAID_FOR_MS)
    return () => clearTimeout(timer)
  }, [id, text])
  return { text: stale === id ? '' : text, n }
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
  const fresh = useFresh(said)
  // Shown words stay (they are the page's); words only said go once said.
  const { text, n } = look === 'unseen' ? fresh : typeof said === 'string' ? { text: said, n: 0 } : said
  return (
    <p className={`${look} said`} role="status" data-testid={testId}>
      {text && <span key={n}>{text}</span>}
    </p>
  )
}
