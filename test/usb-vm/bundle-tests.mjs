#!/usr/bin/env node
/**
 * On the host, before the guest boots (`npm run test:usb` runs it): each test/usb-vm/*.test.ts with the rig and
 * the src/ modules it imports as ONE plain-JS file, out/usb-vm/tests/<name>.test.mjs, which the guest runs with
 * `node --test` (run-guest.sh). Why: through `node --import tsx` every test file spent 20-60 s in the TCG guest
 * before its first test (tsx, its esbuild child and every imported module read over 9p and transformed there);
 * that was about 280 s of a 400 s `npm run test:usb`, the tests' own bodies about 100 s. Same sources, same
 * assertions; only what runs in the guest changes from TypeScript transformed there to JavaScript built here.
 * Native addons (usb, node-hid, better-sqlite3) stay outside and load from node_modules as before.
 *
 * `import.meta.url` / `import.meta.dirname` in the rig's own files point at their source folder (fixtures are found
 * relative to it): they are rewritten to the same place, reached from the bundle's folder.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { build } from 'esbuild'
import { COMMONJS_IN_ESM_BANNER } from './esm-banner.mjs'

const here = dirname(new URL(import.meta.url).pathname)
const outdir = resolve('out/usb-vm/tests')
const tests = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join(here, f))

/** A path from the bundle's folder to `to`, for `new URL(<it>, import.meta.url)`. */
const fromOut = (to) => relative(outdir, to).split('\\').join('/')

/** The rig's files (test/usb-vm/**) keep their own import.meta.url / dirname, as seen from the bundle. */
const keepImportMeta = {
  name: 'keep-import-meta',
  setup(b) {
    b.onLoad({ filter: /[\\/]test[\\/]usb-vm[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const file = JSON.stringify(fromOut(args.path))
      const dir = JSON.stringify(fromOut(dirname(args.path)) + '/')
      const contents = source
        .replaceAll('import.meta.url', `new URL(${file}, import.meta.url).href`)
        .replaceAll('import.meta.dirname', `__rigPath(new URL(${dir}, import.meta.url))`)
      return { contents, loader: 'ts' }
    })
  }
}

rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: tests,
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native addons load from node_modules; pg-native: pg's optional binding, never installed.
  external: ['usb', 'node-hid', 'better-sqlite3', 'pg-native'],
  plugins: [keepImportMeta],
  banner: COMMONJS_IN_ESM_BANNER,
  logLevel: 'warning'
})
