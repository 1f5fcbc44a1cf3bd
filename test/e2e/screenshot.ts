/**
 * The whole page as a picture. The shell scrolls inside its content area (the navigation and status bar stay
 * put), so a full-page shot would stop at the window: the window is made as tall as the content for the shot.
 * Typed by shape, so the Playwright test runner's pages and playwright-core's (the media suite) both fit.
 */
interface Shootable {
  viewportSize(): { width: number; height: number } | null
  setViewportSize(size: { width: number; height: number }): Promise<void>
  evaluate<R>(script: string): Promise<R>
  screenshot(options: { path: string }): Promise<unknown>
}

export async function screenshot(page: Shootable, path: string): Promise<void> {
  const before = page.viewportSize() ?? { width: 1280, height: 720 }
  const height = await page.evaluate<number>(
    `(() => { const c = document.getElementById('content'); c?.scrollTo(0, 0); return (c?.scrollHeight ?? 0) + 40 })()`
  )
  await page.setViewportSize({ width: before.width, height: Math.max(before.height, height) })
  await page.screenshot({ path })
  await page.setViewportSize(before)
}
