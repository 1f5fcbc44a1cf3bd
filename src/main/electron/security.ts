/**
 * Electron's security guide, applied (electronjs.org/docs/latest/tutorial/security): isolated, sandboxed
 * renderers without Node; the renderer served from a custom protocol rather than file://; navigation, new
 * windows and <webview> refused; permissions limited to what a phone needs (audio capture and output
 * device choice); every IPC message's sender checked. The CSP is injected into the page at build time.
 */
import type { Session, WebContents, WebFrameMain, WebPreferences } from 'electron'
import { shell } from 'electron'
import { isAppUrl } from '../../shared/ipc/channels'

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    // Middle-click would open links in a new window past the window-open handler's intent.
    disableBlinkFeatures: 'Auxclick'
  }
}

/** The only permissions the renderer may get: the microphone for calls, and choosing the audio output. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['media', 'speaker-selection']

export function isAllowedPermission(
  permission: string,
  requestingUrl: string | undefined,
  mediaTypes: readonly string[] = []
): boolean {
  if (!ALLOWED_PERMISSIONS.includes(permission) || !isAppUrl(requestingUrl)) return false
  // The app never needs a camera or the screen: audio only.
  return permission !== 'media' || mediaTypes.every((t) => t === 'audio')
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : []
    callback(isAllowedPermission(permission, details.requestingUrl, mediaTypes))
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isAllowedPermission(permission, requestingOrigin)
  )
}

/**
 * Only https links leave the app, and only to the person's browser; besides them, the exact addresses in `alsoOpen`
 * (the dev stack's mailbox, an http page on this machine, when run from a checkout: main.ts).
 */
export function isSafeExternalUrl(url: string, alsoOpen: readonly string[] = []): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || alsoOpen.includes(parsed.href)
  } catch {
    return false
  }
}

export function hardenWebContents(contents: WebContents, alsoOpen: readonly string[] = []): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url, alsoOpen))
      void shell
        .openExternal(url)
        .catch((err: unknown) => console.error('opening a link outside the app failed', err))
    return { action: 'deny' }
  })
}

/** An IPC message is trusted only from the top frame of one of our own windows, showing our own origin. */
export function isTrustedSender(
  frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined,
  sender: WebContents,
  ownContents: readonly WebContents[]
): boolean {
  if (!frame || frame.parent !== null) return false
  if (!ownContents.includes(sender)) return false
  return isAppUrl(frame.url)
}
