/**
 * Electron's main as CommonJS (scripts/main-commonjs.ts, as the build writes out/main/electron-main.cjs) loads in
 * Node through the code-cache loader: every dependency resolves from CommonJS (the ES-module-only ones bundled or
 * required as ES modules), main's top level runs to `app.whenReady()`, the first start writes the cache and the
 * next takes it. Electron itself cannot run on this machine (../shared/TESTBED.md); `electron` is a stand-in here
 * (test/support/electron-main-harness.ts).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleLikeMain } from '../../../scripts/main-commonjs'

const root = join(import.meta.dirname, '../../..')
// Inside the repository, so node_modules resolve from the bundle as they do from out/main.
const dir = join(root, 'test-results/electron-main-commonjs')
const mainFile = join(dir, 'electron-main.cjs')
const harness = join(dir, 'harness.mjs')
const cacheFile = join(dir, 'cache', 'main.v8cache')

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  await bundleLikeMain(join(root, 'src/main/electron/main.ts'), mainFile, 'cjs')
  await bundleLikeMain(join(root, 'test/support/electron-main-harness.ts'), harness, 'esm')
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function start(): { state: string; calls: string[] } {
  const out = execFileSync(process.execPath, [harness, mainFile, cacheFile], { encoding: 'utf8' })
  return JSON.parse(out.trim()) as { state: string; calls: string[] }
}

describe("Electron's main as CommonJS through the code cache", () => {
  it('evaluates to app.whenReady(), writes the cache, and the next start takes it', () => {
    const first = start()
    expect(first.state).toBe('absent')
    expect(first.calls).toEqual(
      expect.arrayContaining([
        'electron.protocol.registerSchemesAsPrivileged',
        'electron.app.requestSingleInstanceLock',
        'electron.app.whenReady'
      ])
    )
    const second = start()
    expect(second).toEqual({ state: 'accepted', calls: first.calls })
  })
})
