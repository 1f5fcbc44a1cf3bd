/**
 * Runs Electron's main as shipped (out/main/electron-main.cjs, or the file given) through the code-cache loader
 * in plain Node, where `electron` cannot load: every `electron` import gets a stand-in that records what is called
 * and never fires `app.whenReady()`. So the whole bundle is evaluated as Electron would (every dependency required,
 * ES-module-only ones through require(esm), main's top level run) and the cache's state is seen.
 * Bundled to an ES module and run with plain node by test/unit/electron/electron-main-commonjs.test.ts (no tsx, so
 * node_modules load as they do in the app). Prints one JSON line: { state, calls }.
 * Usage: node harness.mjs <electron-main.cjs> <cache file>
 */
import Module from 'node:module'
import { runWithCodeCache } from '../../src/main/boot/code-cache'

const calls: string[] = []
const standIn = (path: string): unknown =>
  new Proxy(function () {}, {
    get: (_t, key) => {
      if (key === 'then' || key === '__esModule' || typeof key === 'symbol') return undefined
      return standIn(key === 'default' ? path : `${path}.${key}`)
    },
    apply: () => {
      calls.push(path)
      if (path.endsWith('.requestSingleInstanceLock')) return true
      if (path.endsWith('.whenReady')) return new Promise(() => undefined)
      return standIn(`${path}()`)
    }
  })
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown }
const load = loader._load
// By name from CommonJS; by the package's resolved file from an ES module (electron-store imports it).
const ELECTRON = /^electron$|[\\/]node_modules[\\/]electron[\\/]index\.js$/
loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
  return ELECTRON.test(request) ? standIn('electron') : load.call(this, request, ...rest)
}
const [file = '', cacheFile = ''] = process.argv.slice(2)
const run = runWithCodeCache(file, { cacheFile, writeAfterMs: 60_000 })
process.stdout.write(`${JSON.stringify({ state: run.state, calls })}\n`)
process.exit(0)
