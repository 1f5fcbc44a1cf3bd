/**
 * sip.js parses each SIP header with a PEG parser whose whole setup lives INSIDE peg$parse: its table of about 800
 * constants (string literals, ~80 regular expressions, ~300 expectation objects with their arrays, and ~220
 * action closures) is built again on every call, so once per parsed header, a dozen times per SIP message. On the
 * called side, reading the INVITE was the largest single step from INVITE to 200 (about 0.4 of the line's 1.4 ms,
 * timed inside the app's answering process at load 3-5; docs/benchmarks.md, "INVITE -> 200"), and its garbage the
 * largest part of the line's collections. The table depends on nothing of a parse but what its closures read when
 * they run (the input, the positions, the options object the actions write the result into), so this build step
 * turns peg$parse into a parser made once: the table, the helpers and the interpreter are created once in
 * peg$makeParser, and each call only resets the state a parse starts from (the same statements, in the same order,
 * as the generated code runs them) before running the same interpreter. The interpreter's call of a rule's action
 * (hundreds per message) built two arrays and a closure to gather the action's few arguments and a third to cut
 * the stack; it now fills one array (the same values, the same order, the action called before the stack is cut).
 * Together: an INVITE's eleven headers parse in about half the time (warm, 0.5 -> 0.26 ms), a whole INVITE in
 * about 55% of the CPU time from its 80th parse on and 75% over its first 20. Parsing is synchronous and no action
 * parses again; a parse that did would still get a parser of its own (peg$busy), not a corrupted one.
 * Runs after scripts/sip-grammar-once.ts (the bytecode table already out of peg$parse), where main is bundled
 * (electron.vite.config.ts, scripts/main-commonjs.ts). If sip.js changes the generated code so any piece is not
 * found exactly once, the build stops with this module's name rather than shipping a parser it did not check;
 * test/unit/scripts/sip-parser-once.test.ts parses the same inputs with the original and compares.
 */

const fail = (what: string): never => {
  throw new Error(`sip-parser-once: sip.js's grammar.js ${what}; check the new version`)
}

/** The text between two markers, each found exactly once, the first before the second. */
function between(source: string, from: string, to: string): { start: number; end: number } {
  const start = source.indexOf(from)
  const end = source.indexOf(to, start + from.length)
  if (start < 0 || end < 0 || source.indexOf(from, start + 1) >= 0 || source.indexOf(to, end + 1) >= 0)
    fail(`no longer has "${(start < 0 ? from : to).trim().split('\n')[0]}" exactly once`)
  return { start, end }
}

const HEAD = 'function peg$parse(input, options) {\n    options = options !== undefined ? options : {};\n'
const SOURCE = '    const peg$source = options.grammarSource;\n'
const START_INDEX = /\n {4}let peg\$startRuleIndex = (\d+);\n/
/** Where each parse's state is declared and set, up to the start rule check (kept whole, run per call). */
const STATE_FROM = '    let peg$currPos = 0;\n'
const STATE_TO = '        peg$startRuleIndex = peg$startRuleIndices[options.startRule];\n    }\n'
const STATE = [
  '    let peg$currPos = 0;',
  '    let peg$savedPos = 0;',
  '    const peg$posDetailsCache = [{ line: 1, column: 1 }];',
  '    let peg$maxFailPos = 0;',
  '    let peg$maxFailExpected = [];',
  '    let peg$silentFails = 0;',
  '    let peg$result;',
  '    if (options.startRule !== undefined) {',
  '        if (!(options.startRule in peg$startRuleIndices)) {',
  '            throw new Error("Can\'t start parsing from rule \\"" + options.startRule + "\\".");',
  '        }',
  '        peg$startRuleIndex = peg$startRuleIndices[options.startRule];',
  '    }',
  ''
].join('\n')
const DATA = '    options.data = {}; // Object to which header attributes will be assigned during parsing\n'
const RUN = '    peg$result = peg$parseRule(peg$startRuleIndex);\n'
const TAIL = '\n}\nexport const parse = peg$parse;'
/** The interpreter's call of a rule's action: three arrays and a closure made per call, for a few values. */
const ACTION_CALL = [
  '                        params = bc.slice(ip + 4, ip + 4 + bc[ip + 3])',
  '                            .map(function (p) { return stack[stack.length - 1 - p]; });',
  '                        stack.splice(stack.length - bc[ip + 2], bc[ip + 2], peg$consts[bc[ip + 1]].apply(null, params));',
  ''
].join('\n')
/** The same call: the same values in the same order, the action called before the stack is cut, one array. */
const ACTION_CALL_ONCE = [
  '                        // Dialtone build step (scripts/sip-parser-once.ts): one array, no closure, no splice.',
  '                        params = new Array(bc[ip + 3]);',
  '                        for (let k = 0; k < bc[ip + 3]; k++) params[k] = stack[stack.length - 1 - bc[ip + 4 + k]];',
  '                        {',
  '                            const value = peg$consts[bc[ip + 1]].apply(null, params);',
  '                            stack.length -= bc[ip + 2];',
  '                            stack.push(value);',
  '                        }',
  ''
].join('\n')

/** sip.js's grammar.js (after the bytecode step) with peg$parse's table and helpers made once, not per call. */
export function buildParserOnce(source: string): string {
  if (source.includes('peg$bytecode = ['))
    fail('still builds its bytecode table in peg$parse (run sip-grammar-once first)')
  const head = between(source, HEAD, TAIL)
  const startIndex = START_INDEX.exec(source)?.[1] ?? fail('no longer sets a default start rule')
  const state = between(source, STATE_FROM, STATE_TO)
  if (source.slice(state.start, state.end + STATE_TO.length) !== STATE)
    fail("no longer sets up a parse's state as expected")
  const action = between(source, ACTION_CALL, TAIL)
  if (source.split(/(?<![.\w])params\b/).length !== 4)
    fail("uses the interpreter's params beyond the action call")
  const data = between(source, DATA, RUN)
  const run = between(source, RUN, TAIL)
  if (!(
    head.start < state.start &&
    state.end < action.start &&
    action.start < data.start &&
    data.end < run.end &&
    run.end === head.end
  ))
    fail('no longer has its parts in the expected order')
  const body = source.slice(head.start + HEAD.length, state.start).replace(SOURCE, '    let peg$source;\n')
  if (body === source.slice(head.start + HEAD.length, state.start))
    fail('no longer reads options.grammarSource')
  const made = [
    '// Dialtone build step (scripts/sip-parser-once.ts): the constants, helpers and interpreter are made once;',
    '// each parse resets only its own state.',
    'function peg$makeParser() {',
    '    let input;',
    '    let options;',
    body.replace(START_INDEX, '\n    let peg$startRuleIndex;\n'),
    '    let peg$currPos;',
    '    let peg$savedPos;',
    '    let peg$posDetailsCache;',
    '    let peg$maxFailPos;',
    '    let peg$maxFailExpected;',
    '    let peg$silentFails;',
    '    let peg$result;',
    source.slice(state.end + STATE_TO.length, data.start).replace(ACTION_CALL, ACTION_CALL_ONCE),
    source.slice(data.start + DATA.length, run.start),
    '    let peg$busy = false;',
    '    return function peg$parseOnce(peg$input, peg$options) {',
    '        // A parse started from inside a parse (no action does this) gets a parser of its own.',
    '        if (peg$busy) return peg$makeParser()(peg$input, peg$options);',
    '        input = peg$input;',
    '        options = peg$options !== undefined ? peg$options : {};',
    '        peg$source = options.grammarSource;',
    `        peg$startRuleIndex = ${startIndex};`,
    '        peg$currPos = 0;',
    '        peg$savedPos = 0;',
    '        peg$posDetailsCache = [{ line: 1, column: 1 }];',
    '        peg$maxFailPos = 0;',
    '        peg$maxFailExpected = [];',
    '        peg$silentFails = 0;',
    '        peg$result = undefined;',
    STATE.split('\n').slice(7).join('\n').replace(/^/gm, '    ').trimEnd(),
    '        options.data = {};',
    '        peg$busy = true;',
    '        try {',
    source.slice(run.start, run.end).replace(/^/gm, '        '),
    '        } finally {',
    '            peg$busy = false;',
    "            // The last message's text and result are not kept alive between parses.",
    '            input = undefined;',
    '            options = undefined;',
    '            peg$result = undefined;',
    '            peg$maxFailExpected = undefined;',
    '            peg$posDetailsCache = undefined;',
    '        }',
    '    };',
    '}',
    'const peg$parse = peg$makeParser();',
    'export const parse = peg$parse;'
  ].join('\n')
  return source.slice(0, head.start) + made + source.slice(head.end + TAIL.length)
}
