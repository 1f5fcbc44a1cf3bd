/**
 * The dev stack's update server: serves a folder of signed manifests and artifacts over HTTP on loopback, with
 * single-range requests (206, Content-Range; 416 past the end) as CDNs do, so the client's resume is exercised
 * for real. Written on node:http because a static file server with ranges is 60 lines and @fastify/static would
 * add a dependency for it. Not for production: releases go to a CDN.
 */
import { createReadStream, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join, normalize } from 'node:path'

/** Files never served: keys and certificates (.pem, .key, .p12, .pfx) and hidden files or folders. */
const PRIVATE = /\.(pem|key|p12|pfx)$|(^|[/\\])\./i

export interface UpdateServer {
  readonly url: string
  close(): Promise<void>
}

export async function startUpdateServer(root: string, port = 0, host = '127.0.0.1'): Promise<UpdateServer> {
  const server: Server = createServer((req, res) => {
    let path: string
    try {
      path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
        /^(\.\.[/\\])+/,
        ''
      )
    } catch {
      // A path that is not valid percent-encoding: refused, not thrown (a throw here ended the server).
      res.writeHead(400).end()
      return
    }
    const file = join(root, path)
    // A release folder is served whole, so a signing key left in it by mistake (npm run sign-update writes one
    // where it is told) or a hidden file is never handed out.
    if (PRIVATE.test(path)) {
      res.writeHead(404).end()
      return
    }
    if (!file.startsWith(root) || req.method !== 'GET') {
      res.writeHead(req.method === 'GET' ? 404 : 405).end()
      return
    }
    let size: number
    try {
      const st = statSync(file)
      if (!st.isFile()) throw new Error('not a file')
      size = st.size
    } catch {
      res.writeHead(404).end()
      return
    }
    const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream'
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
    if (!range) {
      res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' })
      createReadStream(file).pipe(res)
      return
    }
    const start = Number(range[1])
    const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
    if (start >= size || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end()
      return
    }
    res.writeHead(206, {
      'content-type': type,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${size}`,
      'accept-ranges': 'bytes'
    })
    createReadStream(file, { start, end }).pipe(res)
  })
  await new Promise<void>((r) => server.listen(port, host, r))
  const address = server.address()
  const actual = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://${host}:${actual}`,
    close: () => new Promise((r) => server.close(() => r()))
  }
}
