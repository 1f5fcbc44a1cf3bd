/**
 * Debian's Chromium as the media suite starts it: where it is and the flags every page needs (fake audio devices,
 * loopback peer connections, autoplay). One list for browser.ts's launches and the journeys' shared browser
 * (browser-setup.ts).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium'

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required'
]
