/**
 * Serves the built renderer on app://dialtone/ instead of file:// (Electron's security guide, item 18):
 * file:// pages share one origin with every local file, a custom scheme gives the app an origin of its own.
 * The path resolution refuses anything that escapes the renderer folder.
 */
import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { protocol } from 'electron'
import { APP_SCHEME, isAppUrl } from '../../shared/ipc/channels'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { CONTENT_TYPES } from '../content-types'

/** The file an app:// URL names inside `root`, or null when the URL is foreign or escapes the folder. */
export function resolveAppPath(url: string, root: string): string | null {
  if (!isAppUrl(url)) return null
  const parsed = new URL(url)
  const relative =
    decodeURIComponent(parsed.pathname) === '/' ? '/index.html' : decodeURIComponent(parsed.pathname)
  const full = resolve(root, `.${relative}`)
  const base = resolve(root)
  return full === base || full.startsWith(base + sep) ? full : null
}

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ])
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = resolveAppPath(request.url, root)
    if (!path) return new Response('not found', { status: 404 })
    try {
      const body = await readFile(path)
      return new Response(body, {
        headers: {
          'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY
        }
      })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
}
