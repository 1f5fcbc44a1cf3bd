/**
 * Runs a CommonJS bundle through V8's code cache: the bundle is compiled as a `vm.Script` with the cached data of
 * an earlier start, so V8 deserializes its functions instead of parsing and compiling them again (the SIP line's
 * bundle is ~600 KB; compiling it was ~12 ms of CPU of every start, and the functions compiled lazily during the
 * first registration more: docs/benchmarks.md, "SIP line"). Electron's main (src/main/electron/boot.ts) starts
 * this way, and the phone benchmark times its line started the same way (test/bench/phone.bench.ts).
 *
 * The cache is written by the start that had none (or a refused one), after that start has done its work (at
 * `writeAfterMs`, or when the process exits, whichever comes first), so it holds the functions compiled lazily by
 * then too, not only the top level. It is a file of ours: a header (magic, the SHA-256 of the bundle's text and of
 * the V8 version, a CRC-32 of the payload) and V8's cached data. A header that does not match (another build,
 * another V8, a torn or corrupt file) is not given to V8 at all; V8 checks its own version and flags hash again
 * and may still refuse (`cachedDataRejected`). Either way the bundle compiles from source as it would without a
 * cache and the file is rewritten: a cache can make a start faster, never break it. The cache is an optimization
 * only: every error reading or writing it is swallowed.
 * (V8 keys cached data on the source's length, not its text: without our hash an update of the same length could
 * run the old code. The header's hash is what ties the cache to this exact bundle.)
 *
 * Where it runs: Node's `vm.Script` with `cachedData`/`createCachedData()` is in Node 20 (this machine, the web
 * host, the benchmarks) and in the Node 24 line Electron has shipped since Electron 40 (Node 24.11.1:
 * https://www.electronjs.org/blog/electron-40-0; https://nodejs.org/docs/latest-v24.x/api/vm.html#class-vmscript:
 * `cachedData`, `cachedDataRejected`, `script.createCachedData()`). Electron's main process is a Node.js
 * environment with Node's modules, `vm` among them (https://www.electronjs.org/docs/latest/tutorial/process-model,
 * "The main process"). Node 22.1+'s `module.enableCompileCache()` does the same for any module
 * (https://nodejs.org/api/module.html#module-compile-cache) but Node 20 has none, so one path for both keeps what
 * the benchmark measures what the product runs. Not verified in Electron itself (it cannot run on the build
 * machine, ../shared/TESTBED.md): a refused cache there costs only the compile, as above.
 * `importModuleDynamically: USE_MAIN_CONTEXT_DEFAULT_LOADER` (Node 20.12+, 21.7+) keeps `import()` working inside the
 * bundle as it does in a module loaded by `require`.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { Script, constants as vmConstants } from 'node:vm'
import { crc32 } from 'node:zlib'

/** "DTC1": Dialtone code cache, layout 1. */
const MAGIC = Buffer.from('DTC1', 'latin1')
const HASH_BYTES = 32
const HEADER_BYTES = MAGIC.length + HASH_BYTES + 4

/**
 * Electron main's cache file: in the data folder when run from a checkout; none in a packaged app, whose data
 * folder anything running as the person can write (see CodeCacheOptions.cacheFile). The folder is not `cache`: on
 * macOS and Windows that name is Chromium's own `Cache` folder (case-insensitive file systems).
 */
export const mainCodeCacheFile = (app: { packaged: boolean; userData: string }): string | null =>
  app.packaged ? null : join(app.userData, 'v8-code-cache', 'main.v8cache')

/** What became of the cache file at this start. */
export type CodeCacheState =
  /** V8 took the cached data. */
  | 'accepted'
  /** There was no cache file (or it could not be read). */
  | 'absent'
  /** The file is for another bundle or another V8, or torn or corrupt: not given to V8. */
  | 'stale'
  /** The header matched but V8 refused the data (its own version or flags check). */
  | 'rejected'
  /** No cache at this start by choice (cacheFile null): compiled from source, nothing read or written. */
  | 'off'

export interface CodeCacheOptions {
  /**
   * Where the cache lives (created with its folder when written); null for none. V8's cached data is bytecode
   * that V8 deserializes without defending against forged input, so the file must be one only the app's builder
   * can change: a packaged app passes null (its data folder is writable by anything running as the person, and a
   * forged cache there would run inside the signed app: the class of Electron's CVE-2025-55305). The header's hash
   * and CRC below catch accidents (another build, a torn write), not an attacker.
   */
  cacheFile: string | null
  /**
   * When to write a missing or refused cache, in ms after the bundle started; also written at process exit if that
   * comes first. Later means more of the lazily compiled functions are in it.
   */
  writeAfterMs?: number
  /** `require` inside the bundle; default: Node's, resolving from the bundle's folder. */
  require?: NodeJS.Require
}

export interface CodeCacheRun {
  state: CodeCacheState
  /** The bundle's module.exports. */
  exports: unknown
}

/** CommonJS's module wrapper, as Node's own loader wraps a file (Module.wrap). */
const wrap = (source: string): string =>
  `(function (exports, require, module, __filename, __dirname) { ${source}\n});`

/** The cache's header for this bundle's text in this V8. */
function keyOf(source: Buffer): Buffer {
  return createHash('sha256').update(process.versions.v8).update('\0').update(source).digest()
}

/** The V8 cached data inside a cache file, if the file is whole and made for this bundle and this V8. */
function cachedDataFor(file: Buffer | undefined, key: Buffer): Buffer | undefined {
  if (!file || file.length <= HEADER_BYTES) return undefined
  if (!file.subarray(0, MAGIC.length).equals(MAGIC)) return undefined
  if (!file.subarray(MAGIC.length, MAGIC.length + HASH_BYTES).equals(key)) return undefined
  const payload = file.subarray(HEADER_BYTES)
  return file.readUInt32LE(MAGIC.length + HASH_BYTES) === crc32(payload) ? payload : undefined
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch {
    return undefined
  }
}

/** Compiles and runs the CommonJS bundle `file` with the code cache in options.cacheFile. */
export function runWithCodeCache(bundleFile: string, options: CodeCacheOptions): CodeCacheRun {
  const file = resolve(bundleFile)
  // Hashed as bytes (hashing the decoded string would encode it again).
  const bytes = readFileSync(file)
  const key = keyOf(bytes)
  const source = bytes.toString('utf8')
  const cacheFile = options.cacheFile
  const onDisk = cacheFile === null ? undefined : readOrUndefined(cacheFile)
  const cachedData = cachedDataFor(onDisk, key)
  const script = new Script(wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  })
  const state: CodeCacheState =
    cacheFile === null
      ? 'off'
      : !onDisk
        ? 'absent'
        : !cachedData
          ? 'stale'
          : script.cachedDataRejected === true
            ? 'rejected'
            : 'accepted'

  let pending = state !== 'accepted' && state !== 'off'
  let timer: NodeJS.Timeout | undefined
  const flush = (): void => {
    if (!pending || cacheFile === null) return
    pending = false
    if (timer) clearTimeout(timer)
    process.off('exit', flush)
    try {
      const data = script.createCachedData()
      const header = Buffer.alloc(HEADER_BYTES)
      MAGIC.copy(header, 0)
      key.copy(header, MAGIC.length)
      header.writeUInt32LE(crc32(data), MAGIC.length + HASH_BYTES)
      mkdirSync(dirname(cacheFile), { recursive: true })
      // Whole or not at all: a start never reads a half-written cache (and the CRC catches any other tear).
      const tmp = `${cacheFile}.${process.pid}.tmp`
      writeFileSync(tmp, Buffer.concat([header, data]))
      renameSync(tmp, cacheFile)
    } catch {
      // A read-only or full disk: the next start compiles from source, as this one did.
    }
  }
  if (pending) {
    process.once('exit', flush)
    timer = setTimeout(flush, options.writeAfterMs ?? 10_000)
    timer.unref()
  }

  const module = { exports: {} as unknown, filename: file, id: file, loaded: false }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(
    module.exports,
    module.exports,
    options.require ?? createRequire(file),
    module,
    file,
    dirname(file)
  )
  module.loaded = true
  return { state, exports: module.exports }
}
