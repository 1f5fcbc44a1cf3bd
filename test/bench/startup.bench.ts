/**
 * The renderer's weight and the web host's cold start, each next to a floor measured in the same run:
 *  - bundle: the built renderer's JS and CSS, gzip-compressed, next to the smallest React 19 app (react + react-dom
 *    rendering one element, minified by esbuild) — what any React UI pays before its first line. Counted four
 *    ways: what the browser had fetched when it painted first (resource timing up to first contentful paint);
 *    what it fetched to show the whole first page, the Device page of a new start with no dongle (until the
 *    network is idle after main's first answer: the goal's figure, the stricter of the two); the same page with
 *    a dongle (the virtual one), whose setup wizard is a chunk of its own; and every chunk on disk (pages and
 *    languages load on demand). The languages fetched are listed;
 *  - cold start: spawning `node out/main/web.js` to Chromium's first contentful paint of the app, next to spawning
 *    a bare node:http server of one static page to its first paint; a fresh process and browser context per run.
 *    Split in two parts for each: spawn -> the server's first HTTP answer, and the page's navigation -> its paint.
 * Run: node --import tsx test/bench/startup.bench.ts  (part of `npm run bench`; needs `npm run build`)
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { LANGUAGE_CODES } from '../../src/shared/i18n/languages'
import { freePort } from '../support/postgres'
import { stat } from './stats'

const RUNS = 10
const assets = 'out/renderer/assets'
const gz = (bytes: Buffer | Uint8Array): number => gzipSync(bytes, { level: 9 }).length
const files = readdirSync(assets)
const ours = {
  jsGzip: files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(readFileSync(join(assets, f))), 0),
  cssGzip: files.filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(readFileSync(join(assets, f))), 0)
}
const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-startup-'))
writeFileSync(
  join(dir, 'floor.tsx'),
  "import { createRoot } from 'react-dom/client'\ncreateRoot(document.getElementById('root')!).render(<p>hello</p>)\n"
)
const floor = await build({
  entryPoints: [join(dir, 'floor.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  nodePaths: [join(process.cwd(), 'node_modules')],
  write: false,
  logLevel: 'error'
})
const floorJsGzip = gz(floor.outputFiles[0]?.contents ?? new Uint8Array())

async function until(url: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--use-fake-device-for-media-stream']
})

/** The renderer's JS files one page load fetched (file names under out/renderer/assets). */
const firstLoads: string[][] = []
/** The JS files whose response had ended when the page painted first, per recorded load. */
const beforePaints: string[][] = []
/** Spawn -> the page's first answer from the app brain over its socket, per run of the web host. */
const firstAnswers: number[] = []

/** What a recorded load waits for before its list of scripts is taken: the first page complete. */
interface Recording {
  /** A selector the first page shows once complete (the setup wizard beside a dongle), if any. */
  readonly waitFor?: string
}

/** Where a cold start's time went, per server: spawn -> first answer over HTTP, navigation -> first paint. */
interface Parts {
  readonly listening: number[]
  readonly navigationToPaint: number[]
}

/** Spawn -> first contentful paint of the page the process serves, in ms of wall clock. */
async function coldStart(
  cmd: string,
  args: string[],
  url: string,
  env: NodeJS.ProcessEnv,
  parts: Parts,
  record: Recording | null = null
): Promise<number> {
  const t0 = Date.now()
  const child = spawn(cmd, args, { stdio: 'ignore', env: { ...process.env, ...env } })
  try {
    await until(url)
    parts.listening.push(Date.now() - t0)
    const context = await browser.newContext()
    const page = await context.newPage()
    const scripts: string[] = []
    page.on('response', (r) => {
      const name = new URL(r.url()).pathname.split('/').pop() ?? ''
      if (name.endsWith('.js')) scripts.push(name)
    })
    const answered = new Promise<number>((resolve) =>
      page.on('websocket', (ws) => ws.once('framereceived', () => resolve(Date.now() - t0)))
    )
    await page.goto(url)
    // The paint's time, and the scripts whose response had ended by then (all a module needs to run).
    const fcp = await page.evaluate<{
      at: number
      sinceNavigation: number
      beforePaint: string[]
    }>(`new Promise((resolve) => {
      const seen = () => performance.getEntriesByName('first-contentful-paint')[0]
      const done = (e) => resolve({
        at: performance.timeOrigin + e.startTime,
        sinceNavigation: e.startTime,
        beforePaint: performance.getEntriesByType('resource')
          .filter((r) => r.name.endsWith('.js') && r.responseEnd <= e.startTime)
          .map((r) => new URL(r.name).pathname.split('/').pop())
      })
      if (seen()) return done(seen())
      new PerformanceObserver((l) => { const e = l.getEntriesByName('first-contentful-paint')[0]; if (e) done(e) })
        .observe({ type: 'paint', buffered: true })
    })`)
    parts.navigationToPaint.push(fcp.sinceNavigation)
    if (record) {
      // The first page is drawn when its chunk has come and the shell's socket is answered; then nothing more loads.
      if (record.waitFor) await page.waitForSelector(record.waitFor, { timeout: 15_000 })
      firstAnswers.push(await answered)
      await page.waitForLoadState('networkidle')
      firstLoads.push([...scripts])
      beforePaints.push(fcp.beforePaint)
    }
    await context.close()
    return fcp.at - t0
  } finally {
    child.kill()
    await new Promise((r) => child.once('exit', r))
  }
}

const floorServer = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/html' }); s.end('<!doctype html><title>floor</title><p>hello</p>') }).listen(Number(process.argv[1]), '127.0.0.1')`
const cold = { ours: [] as number[], floor: [] as number[] }
const parts = {
  ours: { listening: [], navigationToPaint: [] } as Parts,
  floor: { listening: [], navigationToPaint: [] } as Parts,
  /** The run with a dongle is not timed: its parts are kept apart. */
  dongle: { listening: [], navigationToPaint: [] } as Parts
}
/** A cold start of the web host on a fresh data folder; `extra` arguments after the port. */
async function webHost(record: Recording, extra: string[] = [], into: Parts = parts.ours): Promise<number> {
  const port = await freePort()
  const token = 'bench-token-0123456789abcdef'
  return coldStart(
    process.execPath,
    ['out/main/web.js', '--port', String(port), ...extra],
    `http://127.0.0.1:${port}/?token=${token}`,
    {
      DIALTONE_WEB_TOKEN: token,
      DIALTONE_DATA_DIR: mkdtempSync(join(dir, 'data-')),
      DIALTONE_LOG_LEVEL: 'warn',
      // No service on this port: the page's first paint must not wait for one.
      DIALTONE_SERVICE_URL: 'http://127.0.0.1:9'
    },
    into,
    record
  )
}
for (let i = 0; i < RUNS; i++) {
  cold.ours.push(await webHost({}))
  const floorPort = await freePort()
  cold.floor.push(
    await coldStart(
      process.execPath,
      ['-e', floorServer, String(floorPort)],
      `http://127.0.0.1:${floorPort}/`,
      {},
      parts.floor
    )
  )
}
// Once more with a dongle (the virtual one): the first page then holds its setup wizard. Not timed, and its
// lists are kept apart from the runs above.
await webHost({ waitFor: '[data-testid="setup-wizard"]' }, ['--virtual-dongle'], parts.dongle)
const dongleLoad = [...new Set(firstLoads.pop() ?? [])].sort()
beforePaints.pop()
firstAnswers.pop()
await browser.close()

// What the first page load fetched, the same in every run (the cache is per context); the last run's lists.
const firstLoad = [...new Set(firstLoads.at(-1) ?? [])].sort()
const beforePaint = [...new Set(beforePaints.at(-1) ?? [])].sort()
const gzipOf = (list: string[]): number => list.reduce((n, f) => n + gz(readFileSync(join(assets, f))), 0)
const LOCALE = new RegExp(`^(${LANGUAGE_CODES.join('|')})-[\\w-]+\\.js$`)
const result = {
  environment: `Debian's Chromium, headless; ${RUNS} cold starts each, alternating; Node ${process.version}`,
  bundle: {
    dialtoneJsGzip: ours.jsGzip,
    dialtoneBeforePaintJsGzip: gzipOf(beforePaint),
    beforePaintFiles: beforePaint,
    dialtoneFirstLoadJsGzip: gzipOf(firstLoad),
    firstLoadFiles: firstLoad,
    localesLoaded: firstLoad.filter((f) => LOCALE.test(f)).map((f) => f.split('-')[0]),
    dialtoneDongleFirstLoadJsGzip: gzipOf(dongleLoad),
    dongleFirstLoadFiles: dongleLoad,
    dialtoneCssGzip: ours.cssGzip,
    reactFloorJsGzip: floorJsGzip
  },
  dialtoneSpawnToFirstPaintMs: stat(cold.ours),
  dialtoneSpawnToFirstSocketAnswerMs: stat(firstAnswers),
  staticFloorSpawnToFirstPaintMs: stat(cold.floor),
  // Where the cold start's time goes: the process until it answers HTTP, and the page from navigation to paint
  // (the rest is the browser's new context and page, the same for both).
  dialtoneSpawnToListeningMs: stat(parts.ours.listening),
  staticFloorSpawnToListeningMs: stat(parts.floor.listening),
  dialtoneNavigationToFirstPaintMs: stat(parts.ours.navigationToPaint),
  staticFloorNavigationToFirstPaintMs: stat(parts.floor.navigationToPaint)
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/startup.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
