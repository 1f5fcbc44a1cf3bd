/**
 * The phone benchmark's line process started as Electron's main is (src/main/electron/boot.ts): the line's
 * CommonJS bundle (register-once.ts, bundled by scripts/main-commonjs.ts as out/main/electron-main.cjs is) run
 * through the same code-cache loader (src/main/boot/code-cache.ts), with its cache in a file the benchmark names
 * instead of the app's data folder. The cache is written when the process exits after its first registration
 * (the app writes it 10 s after its first start; both hold the registration's lazily compiled functions).
 * Usage: node register-boot.mjs <register-once.cjs> <cache file | none>; `none` starts it as a packaged app does,
 * with no cache (mainCodeCacheFile).
 */
import { runWithCodeCache } from '../../src/main/boot/code-cache'

const [bundle = '', cacheFile = ''] = process.argv.slice(2)
runWithCodeCache(bundle, { cacheFile: cacheFile === 'none' ? null : cacheFile, writeAfterMs: 60_000 })
