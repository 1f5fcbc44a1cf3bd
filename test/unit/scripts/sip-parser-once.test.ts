/**
 * The build step that makes sip.js's header parser once instead of per parse (scripts/sip-parser-once.ts, run after
 * sip-grammar-once.ts by patchSipGrammar, as main's build runs them): the parser must give exactly what the original
 * gives, on the headers a call brings and on input it must refuse, in any order (a refused parse must not leave
 * state behind for the next); it must build its table of constants once, not on every parse; and the step must
 * refuse a grammar.js it does not recognise instead of passing it through.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { hoistGrammarBytecode, patchSipGrammar } from '../../../scripts/sip-grammar-once'
import { buildParserOnce } from '../../../scripts/sip-parser-once'

type Parse = (input: string, options: { startRule: string }) => unknown

const grammarPath = join(
  dirname(createRequire(import.meta.url).resolve('sip.js')),
  'grammar/pegjs/dist/grammar.js'
)
const original = readFileSync(grammarPath, 'utf8')
/** Counts, in the loaded module, every expectation object the parser's constant table creates. */
const COUNTED = original.replace(
  'function peg$literalExpectation(text1, ignoreCase) {',
  'function peg$literalExpectation(text1, ignoreCase) {\n        globalThis.__dialtoneExpectations = (globalThis.__dialtoneExpectations ?? 0) + 1;'
)

/** A grammar.js source as a module, written beside a temp copy whose imports point back at sip.js's own files. */
async function load(source: string): Promise<{ parse: Parse }> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-parser-'))
  const code = source.replace(
    /from "\.\.\/\.\.\/([a-z-]+\.js)"/g,
    (_m, file: string) => `from "${pathToFileURL(join(dirname(grammarPath), '../..', file)).href}"`
  )
  const file = join(dir, 'grammar.mjs')
  writeFileSync(file, code)
  return (await import(pathToFileURL(file).href)) as { parse: Parse }
}

// What a line reads from an INVITE relayed by Kamailio, and a few it must refuse, interleaved.
const INPUTS: [rule: string, input: string][] = [
  ['Request_Response', 'INVITE sip:ct0nvl6q@kgj3bbe1rqj5.invalid;transport=ws SIP/2.0'],
  ['Record_Route', '<sip:127.0.0.1:14787;transport=ws;lr;ftag=kqqbqfdhqq>'],
  ['CSeq', 'REGISTER 2'],
  ['Via', 'SIP/2.0/WS 127.0.0.1:14787;branch=z9hG4bKd6f1.819bca2970f09146e1d423629506ec22.0'],
  ['From', '"Ada" <sip:12015550102@dialtone.test>;tag=ru0in41sv2'],
  ['Contact', 'not <a contact'],
  ['To', '<sip:12015550101@dialtone.test>'],
  ['Call_ID', 'me571li4bebhjijt18od'],
  ['CSeq', '2 INVITE'],
  ['Contact', '<sip:3ei5o4m2@65kjmutrfs7m.invalid;transport=ws;alias=127.0.0.1~44982~5>'],
  ['Max_Forwards', '69'],
  ['Content_Type', 'application/sdp'],
  ['Content_Length', '250'],
  ['Request_Response', 'SIP/2.0 407 Proxy Authentication Required'],
  [
    'Proxy_Authenticate',
    'Digest realm="dialtone.test", nonce="ZWsbZmVrGjx8Cj1uQm0w", qop="auth", algorithm=MD5'
  ],
  ['No_Such_Rule', 'x'],
  [
    'Contact',
    '"Bo Q" <sip:+12015550101@10.0.0.5:5070;transport=tcp;user=phone>;q=0.7;expires=60;+sip.instance="<urn:uuid:1>"'
  ],
  [
    'Via',
    'SIP/2.0/UDP [2001:db8::1]:5060;rport=5062;received=192.0.2.4;ttl=16;maddr=239.1.1.1;branch=z9hG4bKx'
  ],
  [
    'WWW_Authenticate',
    'Digest realm="d", nonce="n", opaque="o", stale=TRUE, algorithm=MD5, qop="auth,auth-int"'
  ],
  ['Refer_To', '<sip:bob@example.test?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>'],
  ['Replaces', 'abc@h;to-tag=1;from-tag=2;early-only'],
  ['Session_Expires', '1800;refresher=uac'],
  ['Event', 'message-summary;id=7'],
  ['Subscription_State', 'terminated;reason=timeout;retry-after=30'],
  ['Supported', 'outbound, path, gruu'],
  ['absoluteURI', 'https://example.test/a?b=c'],
  ['stun_URI', 'stuns:stun.example.test:5349'],
  ['turn_URI', 'turn:turn.example.test?transport=tcp'],
  ['uuid', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'],
  ['sipfrag', 'SIP/2.0 200 OK'],
  ['Record_Route', '<sip:127.0.0.1:5066;transport=ws;r2=on;lr>, <sip:127.0.0.1;r2=on;lr>']
]

/** The data a parse writes into its options (what sip.js's Grammar.parse reads) or the error's message. */
function outcome(parse: Parse, rule: string, input: string): string {
  const options = { startRule: rule } as { startRule: string; data?: unknown }
  try {
    const result = parse(input, options)
    return JSON.stringify({ result, data: options.data })
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`
  }
}

describe('sip-parser-once', () => {
  it('parses every input exactly as the original does, in any order, again and again', async () => {
    const before = await load(original)
    const after = await load(patchSipGrammar(original))
    for (let round = 0; round < 3; round++)
      for (const [rule, input] of round === 1 ? [...INPUTS].reverse() : INPUTS)
        expect(outcome(after.parse, rule, input), `${rule}: ${input}`).toBe(
          outcome(before.parse, rule, input)
        )
    // The refused inputs really were refused, the others parsed (not two empty results compared).
    expect(outcome(after.parse, 'CSeq', 'REGISTER 2')).toMatch(/^error: Expected/)
    expect(outcome(after.parse, 'No_Such_Rule', 'x')).toMatch(/^error: Can't start parsing/)
    expect(outcome(after.parse, 'CSeq', '2 INVITE')).toContain('"method":"INVITE"')
  })

  it('builds its table of constants once, not on every parse', async () => {
    const g = globalThis as { __dialtoneExpectations?: number }
    /** The count after loading the module, then after each of three parses. */
    const count = async (source: string): Promise<number[]> => {
      g.__dialtoneExpectations = 0
      const { parse } = await load(source)
      const seen = [g.__dialtoneExpectations]
      for (let i = 0; i < 3; i++) {
        outcome(parse, 'Via', 'SIP/2.0/WS 127.0.0.1:14787;branch=z9hG4bKd6f1.0')
        seen.push(g.__dialtoneExpectations)
      }
      return seen
    }
    // Made once, when the module loads; no parse makes more.
    const [loaded, ...afterParses] = await count(patchSipGrammar(COUNTED))
    expect(loaded).toBeGreaterThan(100)
    expect(afterParses).toEqual([loaded, loaded, loaded])
    // The original makes them all again on each parse.
    const [none, first = 0, second] = await count(hoistGrammarBytecode(COUNTED))
    expect([none, first > 100, second]).toEqual([0, true, 2 * first])
    delete g.__dialtoneExpectations
  })

  it("calls each rule's action with one array of arguments, not two arrays, a closure and a splice", () => {
    const code = patchSipGrammar(original)
    expect(original).toContain('.map(function (p) { return stack[stack.length - 1 - p]; })')
    expect(code).not.toContain('.map(function (p)')
    expect(code).not.toContain('stack.splice(stack.length - bc[ip + 2]')
    expect(code).toContain('params = new Array(bc[ip + 3]);')
  })

  it('refuses a grammar.js it does not recognise', () => {
    const otherCall = hoistGrammarBytecode(original).replace(
      '.apply(null, params));',
      '.call(null, ...params));'
    )
    expect(() => buildParserOnce(otherCall)).toThrow(/sip-parser-once/)
    expect(() => buildParserOnce(original)).toThrow(/run sip-grammar-once first/)
    const hoisted = hoistGrammarBytecode(original)
    expect(() => buildParserOnce('export const parse = () => 1\n')).toThrow(/sip-parser-once/)
    const moreState = hoisted.replace(
      '    let peg$silentFails = 0;\n',
      '    let peg$silentFails = 0;\n    let extra = 1;\n'
    )
    expect(moreState).not.toBe(hoisted)
    expect(() => buildParserOnce(moreState)).toThrow(/state as expected/)
    const noData = hoisted.replace('    options.data = {}; //', '    options.other = {}; //')
    expect(noData).not.toBe(hoisted)
    expect(() => buildParserOnce(noData)).toThrow(/sip-parser-once/)
  })
})
