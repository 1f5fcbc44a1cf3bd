/**
 * What a screen reader hears, read in the page: the sentences a status region says, one by one, and what describes
 * a control (its aria-describedby), each without the bidi isolates the app puts around values.
 */
import type { Locator, Page } from '@playwright/test'
import { withoutIsolates } from './shown-text'

/** Sentences as read, without the bidi isolates (U+2066..U+2069) around their values. */
export const plain = (texts: string[]): string[] => texts.map(withoutIsolates)

/**
 * Starts keeping every sentence the status region `testId` takes, in order (a screen reader says each change), for
 * `heard` to read: a region must say a state once when it changes, not at every render.
 */
export async function listen(page: Page, testId: string): Promise<() => Promise<string[]>> {
  await page.getByTestId(testId).waitFor({ state: 'attached' })
  await page.evaluate((id) => {
    const region = document.querySelector(`[data-testid="${id}"]`)
    const heard: string[] = []
    ;(window as unknown as Record<string, string[]>)[`heard-${id}`] = heard
    if (region)
      new MutationObserver(() => {
        if (region.textContent) heard.push(region.textContent)
      }).observe(region, { childList: true, characterData: true, subtree: true })
  }, testId)
  return () =>
    page.evaluate((id) => (window as unknown as Record<string, string[]>)[`heard-${id}`] ?? [], testId)
}

/**
 * As `listen`, from before the page loads (the region need not exist yet): what the page says as it opens, which a
 * listener attached after the first render cannot see. Call before `page.goto`.
 */
export async function listenFromStart(page: Page, testId: string): Promise<() => Promise<string[]>> {
  await page.addInitScript((id) => {
    const heard: string[] = []
    ;(window as unknown as Record<string, string[]>)[`heard-${id}`] = heard
    let last = ''
    new MutationObserver(() => {
      const text = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''
      if (text && text !== last) heard.push(text)
      last = text
    }).observe(document, { childList: true, characterData: true, subtree: true })
  }, testId)
  return () =>
    page.evaluate((id) => (window as unknown as Record<string, string[]>)[`heard-${id}`] ?? [], testId)
}

/**
 * The text of what describes `control` (the elements its aria-describedby names), bidi isolates aside. An id
 * named twice in the page throws: getElementById would read the first and hide the mistake.
 */
export const description = async (control: Locator): Promise<string> =>
  withoutIsolates(
    await control.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter((id) => id !== '')
        .map((id) => {
          const named = document.querySelectorAll(`#${CSS.escape(id)}`)
          if (named.length > 1)
            throw new Error(`aria-describedby names ${id}, which ${named.length} elements have`)
          return named[0]?.textContent ?? ''
        })
        .join(' ')
    )
  )

/** The descriptions of every control `controls` finds, in order. */
export const descriptions = async (controls: Locator): Promise<string[]> =>
  Promise.all((await controls.all()).map(description))
