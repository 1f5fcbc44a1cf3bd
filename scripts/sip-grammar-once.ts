/**
 * sip.js parses every SIP header with a PEG parser generated in "size" mode: a bytecode interpreter whose bytecode
 * table (about 240 arrays, decoded from strings by peg$decode) is built INSIDE peg$parse, so it is decoded again on
 * every call: once per header, a dozen times per SIP message. Profiled, that decoding was the largest single cost
 * both of a cold start (the 401 and the 200 of the first registration) and of a warm INVITE -> 200 in the app
 * (docs/benchmarks.md, "SIP line"). The table depends on nothing but its string literals and is only read, so this
 * build step moves the literals to the module's top level and decodes each rule's entry the first time a parse
 * reaches it, keeping it: a registration reaches a fraction of the 240 rules, so start-up neither decodes the rest
 * nor leaves the garbage of decoding them (decoding the whole table at load was ~4 ms of CPU and a young-generation
 * collection at start). The interpreter is otherwise untouched (same rules, same results;
 * test/unit/scripts/sip-grammar-once.test.ts parses the same inputs with both and compares).
 * The rest of peg$parse's setup (its constants and closures) is made once by the next step, sip-parser-once.ts
 * (patchSipGrammar runs both). Applied where main is bundled (electron.vite.config.ts, and the phone benchmark's own
 * bundle); the tests that load sip.js straight from node_modules run the original, which behaves the same, only
 * slower.
 * If sip.js changes the generated file so the pattern is no longer found, the build stops with this module's name
 * rather than shipping an unpatched parser silently.
 */
import type { Plugin } from 'vite'
import { buildParserOnce } from './sip-parser-once'

/** The generated grammar's path inside the sip.js package. */
export const SIP_GRAMMAR_FILE = /[\\/]sip\.js[\\/]lib[\\/]grammar[\\/]pegjs[\\/]dist[\\/]grammar\.js$/

const TABLE_START = '\n    const peg$bytecode = [\n'
const TABLE_END = '\n    ];\n'
const PARSE = '\nfunction peg$parse(input, options) {\n'
/** The interpreter's one read of the table, per rule. */
const RULE_READ = 'const bc = peg$bytecode[index];'
/** One entry of the table: a decode of a string literal, nothing else (so moving it cannot change a value). */
const ENTRY = /^\s*peg\$decode\("(?:[^"\\]|\\.)*"\),?\s*$/

/** sip.js's grammar.js with each rule's bytecode decoded once, on first use, instead of the table on every parse. */
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
  const literals = entries.map((e) => e.replace(/peg\$decode\(("(?:[^"\\]|\\.)*")\)/, '$1')).join('\n')
  const hoisted = [
    "// Dialtone build step (scripts/sip-grammar-once.ts): each rule's bytecode is decoded the first time a parse",
    '// reaches that rule and kept, instead of the whole table on every peg$parse call.',
    'function peg$decodeOnce(s) {',
    '    const codes = [];',
    '    for (let i = 0; i < s.length; i++) codes.push(s.charCodeAt(i) - 32);',
    '    return codes;',
    '}',
    'const peg$bytecodeText = [',
    literals,
    '];',
    'const peg$bytecodeOnce = [];',
    'function peg$bytecodeAt(index) {',
    '    return peg$bytecodeOnce[index] ?? (peg$bytecodeOnce[index] = peg$decodeOnce(peg$bytecodeText[index]));',
    '}',
    ''
  ].join('\n')
  const rest = source.slice(end + TABLE_END.length)
  if (rest.split('peg$bytecode').length !== 2 || !rest.includes(RULE_READ))
    throw new Error(
      "sip-grammar-once: sip.js's grammar.js no longer reads the table in one place; check the new version"
    )
  return (
    source.slice(0, parse + 1) +
    hoisted +
    source.slice(parse + 1, start) +
    '\n' +
    rest.replace(RULE_READ, 'const bc = peg$bytecodeAt(index);')
  )
}

/** Both grammar build steps, in order: this one, then the parser made once (scripts/sip-parser-once.ts). */
export function patchSipGrammar(source: string): string {
  return buildParserOnce(hoistGrammarBytecode(source))
}

/** The build steps as a Vite (rolldown) plugin for electron-vite's main build. */
export function sipGrammarOnce(): Plugin {
  return {
    name: 'dialtone-sip-grammar-once',
    transform(code, id) {
      return SIP_GRAMMAR_FILE.test(id) ? { code: patchSipGrammar(code), map: null } : null
    }
  }
}
