/**
 * A TypeScript entry point bundled once per test process (esbuild, dependencies left to node_modules), for tests
 * that spawn it as a real process: the spawn then starts in a fraction of a second instead of compiling the
 * sources again under tsx in every child (the service under tsx took about 2.5 s of CPU to start; the crash test
 * starts it eight times). Split like electron-vite's build, so code an entry loads lazily stays in its own chunk.
 * Written inside the repository, under out/test-bundles (ignored by git; `npm test` removes out/ whole before its
 * build, a plain electron-vite build leaves it), so the bundle's imports resolve to node_modules and the service
 * finds resources/ above it as it does from out/main.
 */
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

const bundles = new Map<string, Promise<string>>()

/** The path of `source` (relative to the repository) bundled as an ES module, built on the first call. */
export function bundleOnce(source: string): Promise<string> {
  let bundled = bundles.get(source)
  if (!bundled) {
    bundled = (async () => {
      const name = source.replace(/\W+/g, '-')
      const dir = resolve('out', 'test-bundles', `${name}-${process.pid}-${Date.now()}`)
      await build({
        entryPoints: { main: resolve(source) },
        outdir: dir,
        splitting: true,
        outExtension: { '.js': '.mjs' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        logLevel: 'error'
      })
      return join(dir, 'main.mjs')
    })()
    bundles.set(source, bundled)
  }
  return bundled
}
