/**
 * Electron's entry (out/main/index.js): runs the Electron host (main.ts, bundled as CommonJS into
 * out/main/electron-main.cjs by electron.vite.config.ts) through V8's code cache in the app's data folder
 * (`<userData>/cache/main.v8cache`), so a start after the first deserializes main instead of compiling it
 * (src/main/boot/code-cache.ts says how the cache is checked, and why a bad one only costs the compile). The
 * phone benchmark starts its line through the same loader (test/bench/phone.bench.ts).
 * The cache is written 10 s after a start that had none: by then the line has registered and the window is up, so
 * the functions that start compiled lazily are in it too.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app } from 'electron'
import { runWithCodeCache } from '../boot/code-cache'

const here = dirname(fileURLToPath(import.meta.url))
runWithCodeCache(join(here, 'electron-main.cjs'), {
  cacheFile: join(app.getPath('userData'), 'cache', 'main.v8cache'),
  writeAfterMs: 10_000
})
