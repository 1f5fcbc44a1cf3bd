/** The two Electron IPC channels the contract travels on: calls renderer -> main, events main -> renderer. */
export const IPC_CALL_CHANNEL = 'dialtone:call'
export const IPC_EVENT_CHANNEL = 'dialtone:event'
/** The origin the Electron renderer is served from (a custom protocol, per Electron's security guide). */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = 'app://dialtone'

/**
 * Whether a URL is the app's own page. Compared by scheme and host, not URL.origin: Node's URL gives custom
 * schemes the opaque origin 'null', while Chromium (with the scheme registered as standard) does not.
 */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false
  try {
    const u = new URL(url)
    return u.protocol === `${APP_SCHEME}:` && u.host === new URL(APP_ORIGIN).host
  } catch {
    return false
  }
}
