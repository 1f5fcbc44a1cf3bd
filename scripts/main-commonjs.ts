/**
 * Bundles one of main's entries the way out/main bundles it (the same dependencies inside:
 * scripts/main-bundled-deps.ts; the same sip.js build steps: scripts/sip-grammar-once.ts with sip-parser-once.ts,
 * sip-headerize-once.ts, sip-trying-when-silent.ts), with esbuild, as one ES module or as one CommonJS file. CommonJS is what V8's code cache can hold in Node 20 (src/main/boot/code-cache.ts
 * compiles it as a `vm.Script` with cached data; Node 20 has no code cache for ES modules), so:
 *  - electron.vite.config.ts writes Electron's main as out/main/electron-main.cjs with it (the ESM entry
 *    out/main/index.js, src/main/electron/boot.ts, runs that file through the code cache);
 *  - the phone benchmark bundles its line process with it, and starts it through the same loader.
 * In CommonJS `import.meta.url` is the bundle's own file URL, as it is for the ES module.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Plugin } from 'vite'
import { MAIN_BUNDLED_DEPS, MAIN_OPTIONAL_NATIVE } from './main-bundled-deps'
import { SIP_GRAMMAR_FILE, patchSipGrammar } from './sip-grammar-once'
import { SIP_UTILS_FILE, headerizeOnce } from './sip-headerize-once'
import { SIP_USER_AGENT_FILE, tryingWhenSilent } from './sip-trying-when-silent'

// import.meta.url, not dirname: electron-vite bundles its config file, and Vite rewrites only the URL to the source's.
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const META_URL = '__dialtoneImportMetaUrl'

/**
 * Whether a dependency can be loaded with `require` (its package exports a condition `require` resolves: require,
 * node, default, or it has no exports map). plist 5 exports only `import`: CommonJS cannot load it from
 * node_modules, so a CommonJS bundle carries it inside (Node 20.19+ and Electron 41's Node 24 `require` the ES
 * module packages that export `default`, such as electron-store).
 */
function requireable(dep: string): boolean {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', dep, 'package.json'), 'utf8')) as {
    exports?: unknown
  }
  const root: unknown =
    pkg.exports && typeof pkg.exports === 'object' && '.' in pkg.exports
      ? (pkg.exports as Record<string, unknown>)['.']
      : pkg.exports
  if (root === undefined || typeof root === 'string') return true
  return ['require', 'node', 'default'].some((c) => c in (root as Record<string, unknown>))
}

/** Every dependency out/main leaves in node_modules: all but the bundled ones (and electron's own module). */
function externals(format: 'esm' | 'cjs'): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>
  }
  return [
    'electron',
    ...Object.keys(pkg.dependencies).filter(
      (d) => !MAIN_BUNDLED_DEPS.includes(d) && (format === 'esm' || requireable(d))
    ),
    ...MAIN_OPTIONAL_NATIVE
  ]
}

/** entry bundled into outfile as main's bundles are; outfile must be inside the repository (node_modules resolve). */
export async function bundleLikeMain(entry: string, outfile: string, format: 'esm' | 'cjs'): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    external: externals(format),
    outfile,
    // The build steps electron-vite applies to sip.js in main (scripts/sip-grammar-once.ts, sip-headerize-once.ts,
    // sip-trying-when-silent.ts).
    plugins: [
      {
        name: 'sip-build-steps',
        setup(b) {
          b.onLoad({ filter: SIP_GRAMMAR_FILE }, (args) => ({
            contents: patchSipGrammar(readFileSync(args.path, 'utf8')),
            loader: 'js'
          }))
          b.onLoad({ filter: SIP_UTILS_FILE }, (args) => ({
            contents: headerizeOnce(readFileSync(args.path, 'utf8')),
            loader: 'js'
          }))
          b.onLoad({ filter: SIP_USER_AGENT_FILE }, (args) => ({
            contents: tryingWhenSilent(readFileSync(args.path, 'utf8')),
            loader: 'js'
          }))
        }
      }
    ],
    ...(format === 'esm'
      ? {
          banner: {
            js: "import { createRequire as __dialtoneCreateRequire } from 'node:module'; const require = __dialtoneCreateRequire(import.meta.url);"
          }
        }
      : {
          define: { 'import.meta.url': META_URL },
          banner: { js: `var ${META_URL} = require('node:url').pathToFileURL(__filename).href;` }
        }),
    logLevel: 'error'
  })
}

/**
 * The main build's step that writes Electron's main (src/main/electron/main.ts) as out/main/electron-main.cjs, beside
 * the bundles the main build writes (its entry, out/main/index.js, is src/main/electron/boot.ts, which runs it).
 */
export function electronMainCommonJs(): Plugin {
  return {
    name: 'dialtone-electron-main-commonjs',
    apply: 'build',
    async writeBundle(options) {
      if (!options.dir) throw new Error('electron-main-commonjs: the main build has no output folder')
      await bundleLikeMain(
        join(ROOT, 'src/main/electron/main.ts'),
        join(options.dir, ELECTRON_MAIN_FILE),
        'cjs'
      )
    }
  }
}

/** The CommonJS file src/main/electron/boot.ts runs, in out/main. */
export const ELECTRON_MAIN_FILE = 'electron-main.cjs'
