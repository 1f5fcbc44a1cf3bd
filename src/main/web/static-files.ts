/**
 * The web host's file server: the built renderer, read from its directory, nothing else. Plain node:http so the
 * web host answers its first request before any framework has loaded (its first paint is measured against a bare
 * static server). A path is decoded once, resolved under the root, and refused unless it names a regular file
 * there: no traversal, no directory listings, no dotfiles.
 */
import { readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'
import { CONTENT_TYPES } from '../content-types'

/** The file under `root` that `urlPath` names ('/' is index.html), or null when it names none. */
export async function resolveFile(root: string, urlPath: string): Promise<string | null> {
  let path: string
  try {
    path = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (path.includes('\0') || path.split('/').some((part) => part.startsWith('.'))) return null
  const base = resolve(root)
  const file = resolve(base, `.${path.endsWith('/') ? `${path}index.html` : path}`)
  if (!file.startsWith(base + sep)) return null
  try {
    return (await stat(file)).isFile() ? file : null
  } catch {
    return null
  }
}

/** Answers a GET or HEAD for a file of the renderer; 404 for anything else it does not have. */
export async function serveFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed')
    return
  }
  const file = await resolveFile(root, new URL(req.url ?? '/', 'http://host').pathname)
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    return
  }
  const body = await readFile(file)
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}
