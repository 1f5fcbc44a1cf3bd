/**
 * The npm dependencies bundled into out/main instead of being loaded from node_modules when the app starts.
 * electron-vite leaves every dependency external by default; for these that costs the line its dial tone: sip.js
 * is ~190 ES module files and ws pulls in http, https and tls, and loading them one by one through Node's resolver
 * took 200-400 ms on the loaded build machine against ~30 ms for the same code as one bundle (docs/benchmarks.md,
 * "SIP line"). The phone benchmark (test/bench/phone.bench.ts) bundles its line process by this same list.
 */
export const MAIN_BUNDLED_DEPS: readonly string[] = ['sip.js', 'ws']

/** ws's optional native helpers: it falls back to JavaScript without them, so they stay out of the bundle. */
export const MAIN_OPTIONAL_NATIVE: readonly string[] = ['bufferutil', 'utf-8-validate']
