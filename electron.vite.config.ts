/**
 * Build of the three Electron bundles plus the plain-Node entries that share main's code:
 * - main:     out/main/index.js (Electron host: electron-main.cjs through the code cache), web.js (web host), server.js (account service),
 *             diag.js (the dialtone-diag command), ops.js (the dialtone-ops command), updates.js (the dev
 *             stack's update server)
 * - preload:  out/preload/index.cjs, CommonJS because sandboxed preloads cannot be ES modules
 * - renderer: out/renderer/index.html with the CSP from src/shared/csp.ts injected and the first-paint script
 *             (scripts/vite-first-paint.ts) after #root
 */
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY } from './src/shared/csp'
import { firstPaint } from './scripts/vite-first-paint'
import { formLimits } from './scripts/vite-form-limits'
import { localeSplit } from './scripts/vite-locale-split'
import { pureShared } from './scripts/vite-pure-shared'
import { MAIN_BUNDLED_DEPS, MAIN_OPTIONAL_NATIVE } from './scripts/main-bundled-deps'
import { sipGrammarOnce } from './scripts/sip-grammar-once'
import { sipHeaderizeOnce } from './scripts/sip-headerize-once'
import { electronMainCommonJs } from './scripts/main-commonjs'
import { sipTryingWhenSilent } from './scripts/sip-trying-when-silent'

function injectCsp(): Plugin {
  return {
    name: 'dialtone-csp',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend'
      }
    ]
  }
}

export default defineConfig({
  main: {
    // Electron's main is written again as CommonJS (electron-main.cjs) for V8's code cache: scripts/main-commonjs.ts.
    plugins: [sipGrammarOnce(), sipHeaderizeOnce(), sipTryingWhenSilent(), electronMainCommonJs()],
    build: {
      // The SIP line's libraries go into the bundle: loading them file by file delays the dial tone.
      externalizeDeps: { exclude: [...MAIN_BUNDLED_DEPS] },
      rolldownOptions: {
        external: [...MAIN_OPTIONAL_NATIVE],
        input: {
          index: resolve('src/main/electron/boot.ts'),
          web: resolve('src/main/web/main.ts'),
          server: resolve('src/server/main.ts'),
          diag: resolve('src/main/diagnostics/cli.ts'),
          ops: resolve('src/server/ops/cli/main.ts'),
          updates: resolve('src/main/setup/update-server-main.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload may only require a few Electron modules: bundle everything, emit CommonJS.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      // electron-vite leaves the renderer unminified; the web host serves it over the network and Chromium parses
      // every byte before first paint, so minify as any web bundle would.
      minify: true,
      rolldownOptions: {
        input: resolve('src/renderer/index.html')
      }
    },
    plugins: [react(), injectCsp(), formLimits(), pureShared(), firstPaint(), localeSplit()]
  }
})
