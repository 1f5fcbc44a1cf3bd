/**
 * An inline question ("Remove this card?", "Clear the call history?"): when it opens, the focus goes to its safe
 * answer (Keep, Cancel), so the question is read and answering needs no search; when it closes without the page
 * moving on, the focus goes back to the control that asked (WCAG 2.4.3). The focus keeper (focus-keeper.ts) covers
 * what this does not: a trigger that is gone by then.
 */
import { useEffect, useRef, type RefObject } from 'react'

export function useQuestionFocus(
  open: boolean,
  safeAnswer: RefObject<HTMLElement | null>,
  trigger: RefObject<HTMLElement | null>
): void {
  const wasOpen = useRef(false)
  useEffect(() => {
    if (open) safeAnswer.current?.focus()
    else if (wasOpen.current) trigger.current?.focus()
    wasOpen.current = open
  }, [open, safeAnswer, trigger])
}
