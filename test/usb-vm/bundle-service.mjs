#!/usr/bin/env node
/**
 * On the host, before the guest boots (`npm run test:usb` runs it): the account service from src/server/main.ts
 * as ONE file, out/usb-vm/service.mjs, for the usb-vm tests that need a development service in the guest
 * (rig/service.ts). Why not out/main/server.js: it loads fastify, kysely, pdf-lib, pg and the rest as thousands
 * of small files, and every one is a round trip over 9p under TCG: it answered after 107 s in the guest, the
 * bundle after 11-35 s (the machine is shared). Same sources, same configuration; only better-sqlite3 (a native
 * addon) stays outside and is loaded from node_modules. The file sits under the project so that it finds
 * node_modules and resources/terms by walking up, as the build does.
 */
import { build } from 'esbuild'
import { COMMONJS_IN_ESM_BANNER } from './esm-banner.mjs'

await build({
  entryPoints: ['src/server/main.ts'],
  outfile: 'out/usb-vm/service.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // pg-native: pg's optional native binding, never installed.
  external: ['better-sqlite3', 'pg-native'],
  banner: COMMONJS_IN_ESM_BANNER,
  logLevel: 'warning'
})
