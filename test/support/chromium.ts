/**
 * Debian's Chromium as the tests start it: where each build is and the flags every page needs (fake audio devices,
 * loopback peer connections, autoplay). One list for browser.ts's launches, the media projects' shared browser
 * (browser-setup.ts) and the e2e suite (playwright.config.ts).
 *
 * Two builds of the same Chromium (one Debian source, one version), and which suite takes which:
 * - `chromium-headless-shell` (Debian's package of that name): Blink, V8 and the network stack without the browser
 *   around them (no tabs, profile or browser UI), the build Playwright itself runs for headless tests. The e2e
 *   suite and the media suite's journeys run in it: they walk screens and carry no call. Measured on this 2-core
 *   machine, 2026-12-05, each suite alone: the journeys (60 tests) 289 s and 527 CPU seconds against 404 s and 774
 *   in the full browser, e2e (48 tests) 119 s and 150 CPU seconds against 164 s and 269 (busy time from
 *   `/proc/stat` around the run). Electron, which the app ships in, is the same engine with a shell of its own, not the browser.
 * - `chromium`, the full browser: the files that place calls. In the media suite's loopback-only namespace the
 *   headless shell gathers no ICE candidate for a peer connection with the same flags
 *   (`--allow-loopback-in-peer-connection` does not reach its pages: 0 candidates against the browser's 4), so a
 *   call between two pages never connects in it.
 */
/** Elsewhere than Debian's place: CHROMIUM_PATH for the full browser, CHROMIUM_SHELL_PATH for the headless shell. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium'
export const CHROMIUM_SHELL = process.env.CHROMIUM_SHELL_PATH ?? '/usr/lib/chromium/chromium-headless-shell'

/** Which build a project of the media suite shares (its `provide.chromiumBuild`; browser-setup.ts). */
export type ChromiumBuild = 'browser' | 'shell'
export const chromiumOf = (build: ChromiumBuild): string => (build === 'shell' ? CHROMIUM_SHELL : CHROMIUM)

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required'
]
