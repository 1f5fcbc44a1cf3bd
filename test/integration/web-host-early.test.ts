/**
 * The web host listens before its brain has loaded: the renderer's files are served at once, only files of the
 * renderer directory are served (no traversal, no dotfiles, GET and HEAD only), and a page's socket that arrives
 * early is answered once the brain is up.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { DialtoneApp } from '../../src/main/app'
import { silentLogger } from '../../src/main/log/logger'
import { startWebHost, type WebHost } from '../../src/main/web/server'
import { testApp, type TestApp } from '../support/test-app'

const TOKEN = 'integration-token-early-0123'
let host: WebHost
let t: TestApp
let release: (app: DialtoneApp) => void = () => undefined
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dialtone-renderer-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Dialtone</title>')
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'export {}')
  writeFileSync(join(dir, '.env'), 'SECRET=1')
  writeFileSync(join(dirname(dir), 'outside.txt'), 'outside')
  t = testApp()
  const brain = new Promise<DialtoneApp>((resolve) => (release = resolve))
  host = await startWebHost({ app: brain, rendererDir: dir, token: TOKEN, port: 0, log: silentLogger() })
})
afterAll(async () => {
  await t.app.dispose()
  await host.close()
})

/** A raw request (fetch would normalise '..' away), resolving with status and content type. */
function get(path: string, method = 'GET'): Promise<{ status: number; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: host.port, path, method }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] })
    })
      .on('error', reject)
      .end()
  })
}

describe('the web host before its brain is up', () => {
  it('serves the page and its scripts with their types and the CSP', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/?token=${TOKEN}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('<title>Dialtone</title>')
    expect(await get('/assets/index-abc.js')).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' })
  })

  it('serves nothing outside the renderer, no dotfile, and only GET and HEAD', async () => {
    expect((await get('/../outside.txt')).status).toBe(404)
    expect((await get('/%2e%2e/outside.txt')).status).toBe(404)
    expect((await get('/assets/..%2f..%2foutside.txt')).status).toBe(404)
    expect((await get('/.env')).status).toBe(404)
    expect((await get('/assets')).status).toBe(404)
    expect((await get('/missing.js')).status).toBe(404)
    expect((await get('/%E0%A4%A')).status).toBe(404)
    expect((await get('/', 'POST')).status).toBe(405)
    expect((await get('/', 'HEAD')).status).toBe(200)
  })

  it('answers an early socket once the brain is up', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${TOKEN}`, {
      headers: { Origin: `http://127.0.0.1:${host.port}` }
    })
    let opened = false
    ws.once('open', () => (opened = true))
    await new Promise((r) => setTimeout(r, 200))
    expect(opened).toBe(false)
    t.app.start()
    release(t.app)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
      if (opened) resolve()
    })
    const answer = new Promise<unknown>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(String(d))))
    )
    ws.send(JSON.stringify({ kind: 'call', id: 1, channel: 'app.info' }))
    expect(await answer).toMatchObject({ kind: 'result', id: 1, result: { ok: true } })
    ws.close()
  })
})
