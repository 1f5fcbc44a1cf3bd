/**
 * Electron's entry (out/main/index.js): runs the Electron host (main.ts, bundled as CommonJS into
 * out/main/electron-main.cjs by electron.vite.config.ts) through the code-cache loader. Run from a checkout
 * (`npm start`, development), V8's code cache lives in the app's data folder (`<userData>/v8-code-cache/`), so a
 * start after the first deserializes main instead of compiling it (src/main/boot/code-cache.ts says how the cache
 * is checked, and why a bad one only costs the compile). A packaged app compiles from source and keeps no cache:
 * its data folder is writable by anything running as the person, and V8's cached data is code (code-cache.ts,
 * `cacheFile`). The phone benchmark times both (test/bench/phone.bench.ts).
 * The cache is written 10 s after a start that had none: by then the line has registered and the window is up, so
 * the functions that start compiled lazily are in it too.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app } from 'electron'
import { mainCodeCacheFile, runWithCodeCache } from '../boot/code-cache'

const here = dirname(fileURLToPath(import.meta.url))
runWithCodeCache(join(here, 'electron-main.cjs'), {
  cacheFile: mainCodeCacheFile({ packaged: app.isPackaged, userData: app.getPath('userData') }),
  writeAfterMs: 10_000
})
