/**
 * Runs a CommonJS bundle through V8's code cache, as an app whose main were CommonJS could (Node 20 has no compile
 * cache for ES modules; Node 22's module.enableCompileCache would do this for either): the bundle is compiled
 * with the cache file beside it when there is one, and when there is none (or V8 refuses it) the cache is written
 * as the process exits, after the run, so it holds the functions the run compiled lazily too (the registration's
 * own code, not only the top level). The phone benchmark runs its line this way once to write the cache, then
 * times it beside the line as shipped: what "main as CommonJS with a code cache" would buy, measured, not shipped.
 * Usage: node code-cache-run.cjs <bundle.cjs>
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire, wrap } from 'node:module'
import { dirname, resolve } from 'node:path'
import { Script } from 'node:vm'

const file = resolve(process.argv[2] ?? '')
const cacheFile = `${file}.v8cache`
let cachedData: Buffer | undefined
try {
  cachedData = readFileSync(cacheFile)
} catch {
  cachedData = undefined
}
const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData })
if (!cachedData || script.cachedDataRejected)
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()))
const run = script.runInThisContext() as (...args: unknown[]) => void
const module = { exports: {} }
run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file))
