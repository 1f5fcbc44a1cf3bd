/**
 * The code-cache loader (src/main/boot/code-cache.ts): a start without a cache runs the bundle and writes one; the
 * next start's V8 takes it; a cache that is torn, corrupt, for another bundle of the same length, refused by V8
 * itself, or not writable never stops the bundle from running, and a bad one is rewritten. Each start is a fresh
 * Node process running the loader, as Electron's main and the phone benchmark run it.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { mainCodeCacheFile } from '../../../src/main/boot/code-cache'

const dir = mkdtempSync(join(tmpdir(), 'dialtone-code-cache-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const loader = join(import.meta.dirname, '../../../src/main/boot/code-cache.ts')
/** A bundle with enough functions for V8's cache to be more than a header; prints its result. */
function bundleText(answer: number): string {
  const fns = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i} }`).join('\n')
  return `${fns}\nmodule.exports = { answer: ${answer} + f0(0) + require('node:path').sep.length - 1 }\n`
}
const bundle = join(dir, 'bundle.cjs')
const cacheFile = join(dir, 'cache', 'main.v8cache')

/** One start in a fresh process: the cache's state at that start and what the bundle exported. */
function start(file = bundle, cache: string | null = cacheFile): { state: string; answer: number } {
  const script = `
    import { runWithCodeCache } from ${JSON.stringify(loader)}
    const run = runWithCodeCache(${JSON.stringify(file)}, { cacheFile: ${JSON.stringify(cache)}, writeAfterMs: 60000 })
    console.log(JSON.stringify({ state: run.state, answer: run.exports.answer }))`
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8'
  })
  return JSON.parse(out.trim()) as { state: string; answer: number }
}

describe('the code cache loader', () => {
  it('keeps no cache for a packaged app: nothing read or written, the bundle runs compiled from source', () => {
    writeFileSync(bundle, bundleText(42))
    const userData = join(dir, 'packaged-user-data')
    expect(mainCodeCacheFile({ packaged: true, userData })).toBeNull()
    expect(start(bundle, null)).toEqual({ state: 'off', answer: 42 })
    expect(existsSync(userData)).toBe(false)
    expect(existsSync(cacheFile)).toBe(false)
    // Run from a checkout: in the data folder, in a folder of its own (not Chromium's Cache).
    expect(mainCodeCacheFile({ packaged: false, userData })).toBe(
      join(userData, 'v8-code-cache', 'main.v8cache')
    )
  })

  it('writes the cache at the first start (at exit) and V8 takes it at the next', () => {
    writeFileSync(bundle, bundleText(42))
    expect(start()).toEqual({ state: 'absent', answer: 42 })
    expect(statSync(cacheFile).size).toBeGreaterThan(100)
    expect(start()).toEqual({ state: 'accepted', answer: 42 })
    // Taken, so not written again.
    const before = statSync(cacheFile).mtimeMs
    expect(start()).toEqual({ state: 'accepted', answer: 42 })
    expect(statSync(cacheFile).mtimeMs).toBe(before)
  })

  it('ignores a corrupt cache (one byte changed), runs the bundle and rewrites the cache', () => {
    const good = readFileSync(cacheFile)
    const bad = Buffer.from(good)
    bad[bad.length - 5] = (bad[bad.length - 5] ?? 0) ^ 0xff
    writeFileSync(cacheFile, bad)
    expect(start()).toEqual({ state: 'stale', answer: 42 })
    expect(start()).toEqual({ state: 'accepted', answer: 42 })
  })

  it('ignores a torn cache and one of random bytes', () => {
    const good = readFileSync(cacheFile)
    writeFileSync(cacheFile, good.subarray(0, good.length >> 1))
    expect(start()).toEqual({ state: 'stale', answer: 42 })
    writeFileSync(cacheFile, Buffer.from('not a cache at all'))
    expect(start()).toEqual({ state: 'stale', answer: 42 })
    writeFileSync(cacheFile, Buffer.alloc(0))
    expect(start()).toEqual({ state: 'stale', answer: 42 })
    expect(start()).toEqual({ state: 'accepted', answer: 42 })
  })

  it('does not give an updated bundle of the same length the old code (V8 alone keys on the length)', () => {
    const next = bundleText(43)
    expect(next.length).toBe(bundleText(42).length)
    writeFileSync(bundle, next)
    expect(start()).toEqual({ state: 'stale', answer: 43 })
    expect(start()).toEqual({ state: 'accepted', answer: 43 })
  })

  it('survives V8 refusing data whose header is ours (another V8 or its flags): compiles and rewrites', () => {
    const good = readFileSync(cacheFile)
    const payload = Buffer.alloc(good.length - 40, 0x5a)
    const forged = Buffer.concat([good.subarray(0, 36), Buffer.alloc(4), payload])
    forged.writeUInt32LE(crc32(payload), 36)
    writeFileSync(cacheFile, forged)
    expect(start()).toEqual({ state: 'rejected', answer: 43 })
    expect(start()).toEqual({ state: 'accepted', answer: 43 })
  })

  it('runs when the cache cannot be written', () => {
    const readOnly = join(dir, 'read-only')
    execFileSync('mkdir', ['-p', readOnly])
    chmodSync(readOnly, 0o500)
    const unwritable = join(readOnly, 'sub', 'main.v8cache')
    // root writes anywhere: a path under a file is unwritable for every user.
    const underFile = join(bundle, 'main.v8cache')
    expect(start(bundle, underFile)).toEqual({ state: 'absent', answer: 43 })
    expect(start(bundle, unwritable).answer).toBe(43)
  })
})
