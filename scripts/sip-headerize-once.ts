/**
 * sip.js turns a header name into its canonical form (headerize: "call-id" -> "Call-ID") on every header it stores
 * or looks up: each header of each message parsed, and each getHeader/hasHeader while a transaction, a dialog and
 * the responses are built, well over a hundred times from an incoming INVITE to its 200, each one a lower-casing, a
 * regular-expression replace, a split, a string built piece by piece and a fresh object of exceptions. Profiled in
 * the app's answer path (docs/benchmarks.md, "INVITE -> 200") it was the largest single function after the grammar.
 * The result depends on the name alone, so this build step keeps each name's result: a lookup in a Map instead of
 * the work. Names come from the network too, so the memory is bounded: past MAX_NAMES different names, a new name is
 * worked out as before and not kept. Same results for every input (test/unit/scripts/sip-headerize-once.test.ts
 * compares them, the throw for a value that is not a string included).
 * Applied where main is bundled (electron.vite.config.ts, scripts/main-commonjs.ts); if sip.js changes the function
 * so it is not found exactly once, the build stops with this module's name instead of shipping it unchanged.
 */
import type { Plugin } from 'vite'

/** sip.js's message utilities (ES module build), where headerize lives. */
export const SIP_UTILS_FILE = /[\\/]sip\.js[\\/]lib[\\/]core[\\/]messages[\\/]utils\.js$/

/** How many different header names are kept; a message brings a dozen or two, a line sees a few dozen in all. */
export const MAX_NAMES = 512

const DECLARATION = 'export function headerize(str) {\n'

/** sip.js's utils.js with headerize's results kept per name. */
export function headerizeOnce(source: string): string {
  const at = source.indexOf(DECLARATION)
  if (at < 0 || source.indexOf(DECLARATION, at + 1) >= 0 || source.includes('function headerizeUncached('))
    throw new Error(
      "sip-headerize-once: sip.js's utils.js no longer declares headerize(str) once; check the new version"
    )
  const cached = [
    '// Dialtone build step (scripts/sip-headerize-once.ts): each name worked out once, up to a bound.',
    'const headerizeKept = new Map();',
    'export function headerize(str) {',
    '    let hname = headerizeKept.get(str);',
    '    if (hname === undefined) {',
    '        hname = headerizeUncached(str);',
    `        if (headerizeKept.size < ${MAX_NAMES}) headerizeKept.set(str, hname);`,
    '    }',
    '    return hname;',
    '}',
    'function headerizeUncached(str) {',
    ''
  ].join('\n')
  return source.slice(0, at) + cached + source.slice(at + DECLARATION.length)
}

/** The build step as a Vite (rolldown) plugin for electron-vite's main build. */
export function sipHeaderizeOnce(): Plugin {
  return {
    name: 'dialtone-sip-headerize-once',
    transform(code, id) {
      return SIP_UTILS_FILE.test(id) ? { code: headerizeOnce(code), map: null } : null
    }
  }
}
