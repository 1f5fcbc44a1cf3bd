/**
 * sip.js parses every SIP header with a PEG parser generated in "size" mode: a bytecode interpreter whose bytecode
 * table (about 240 arrays, decoded from strings by peg$decode) is built INSIDE peg$parse, so it is decoded again on
 * every call: once per header, a dozen times per SIP message. Profiled, that decoding was the largest single cost
 * both of a cold start (the 401 and the 200 of the first registration) and of a warm INVITE -> 200 in the app
 * (docs/benchmarks.md, "SIP line"). The table depends on nothing but its string literals and is only read, so this
 * build step moves it to the module's top level, decoded once; the parser is otherwise untouched (same rules, same
 * results; test/unit/scripts/sip-grammar-once.test.ts parses the same inputs with both and compares).
 * Applied where main is bundled (electron.vite.config.ts, and the phone benchmark's own bundle); the tests that
 * load sip.js straight from node_modules run the original, which behaves the same, only slower.
 * If sip.js changes the generated file so the pattern is no longer found, the build stops with this module's name
 * rather than shipping an unpatched parser silently.
 */
import type { Plugin } from 'vite'

/** The generated grammar's path inside the sip.js package. */
export const SIP_GRAMMAR_FILE = /[\\/]sip\.js[\\/]lib[\\/]grammar[\\/]pegjs[\\/]dist[\\/]grammar\.js$/

const TABLE_START = '\n    const peg$bytecode = [\n'
const TABLE_END = '\n    ];\n'
const PARSE = '\nfunction peg$parse(input, options) {\n'
/** One entry of the table: a decode of a string literal, nothing else (so moving it cannot change a value). */
const ENTRY = /^\s*peg\$decode\("(?:[^"\\]|\\.)*"\),?\s*$/

/** sip.js's grammar.js with its bytecode table decoded once at load instead of on every parse. */
export function hoistGrammarBytecode(source: string): string {
  const start = source.indexOf(TABLE_START)
  const end = start < 0 ? -1 : source.indexOf(TABLE_END, start)
  const parse = source.indexOf(PARSE)
  if (start < 0 || end < 0 || parse < 0 || parse > start || source.indexOf(TABLE_START, end) >= 0)
    throw new Error(
      "sip-grammar-once: sip.js's grammar.js no longer has the expected bytecode table; check the new version"
    )
  const entries = source.slice(start + TABLE_START.length, end).split('\n')
  if (!entries.every((e) => ENTRY.test(e)))
    throw new Error('sip-grammar-once: an entry of the bytecode table is not a plain peg$decode("...") call')
  const table = entries.map((e) => e.replace('peg$decode(', 'peg$decodeOnce(')).join('\n')
  const hoisted = [
    '// Decoded once at load (Dialtone build step, scripts/sip-grammar-once.ts), not on every peg$parse call.',
    'function peg$decodeOnce(s) {',
    '    return s.split("").map((ch) => ch.charCodeAt(0) - 32);',
    '}',
    'const peg$bytecodeOnce = [',
    table,
    '];',
    ''
  ].join('\n')
  return (
    source.slice(0, parse + 1) +
    hoisted +
    source.slice(parse + 1, start) +
    '\n    const peg$bytecode = peg$bytecodeOnce;\n' +
    source.slice(end + TABLE_END.length)
  )
}

/** The build step as a Vite (rolldown) plugin for electron-vite's main build. */
export function sipGrammarOnce(): Plugin {
  return {
    name: 'dialtone-sip-grammar-once',
    transform(code, id) {
      return SIP_GRAMMAR_FILE.test(id) ? { code: hoistGrammarBytecode(code), map: null } : null
    }
  }
}
