/**
 * The build step that decodes sip.js's grammar bytecode once (scripts/sip-grammar-once.ts): the patched parser must
 * give exactly what the original gives, on the headers a line sees (and on input it must refuse), and the step must
 * refuse a grammar.js it does not recognise instead of passing it through.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SIP_GRAMMAR_FILE, hoistGrammarBytecode } from '../../../scripts/sip-grammar-once'

type Parse = (input: string, options: { startRule: string }) => unknown

const grammarPath = join(
  dirname(createRequire(import.meta.url).resolve('sip.js')),
  'grammar/pegjs/dist/grammar.js'
)
const original = readFileSync(grammarPath, 'utf8')

/** The patched module, written beside a temp copy whose imports point back at sip.js's own files. */
async function patched(): Promise<{ parse: Parse }> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-grammar-'))
  const code = hoistGrammarBytecode(original).replace(
    /from "\.\.\/\.\.\/([a-z-]+\.js)"/g,
    (_m, file: string) => `from "${pathToFileURL(join(dirname(grammarPath), '../..', file)).href}"`
  )
  const file = join(dir, 'grammar.mjs')
  writeFileSync(file, code)
  return (await import(pathToFileURL(file).href)) as { parse: Parse }
}

const INPUTS: [rule: string, input: string][] = [
  ['Via', 'SIP/2.0/WSS df7jal23ls0d.invalid;rport=51422;received=10.0.0.5;branch=z9hG4bK5542617'],
  ['From', '"Ada" <sip:12015550101@dialtone.test>;tag=a73kszlfl'],
  ['To', '<sip:12015550101@dialtone.test>;tag=8f0f9b2a3c6d1e4f'],
  ['Contact', '<sip:u7k2@df7jal23ls0d.invalid;transport=ws>;expires=300;+sip.ice'],
  ['CSeq', '2 REGISTER'],
  ['Call_ID', 'k1n3p5r7t9v1x3z5'],
  [
    'WWW_Authenticate',
    'Digest realm="dialtone.test", nonce="ZWsbZmVrGjx8Cj1uQm0w", qop="auth", algorithm=MD5'
  ],
  ['Record_Route', '<sip:127.0.0.1:5066;transport=ws;r2=on;lr>, <sip:127.0.0.1;r2=on;lr>'],
  ['SIP_URI', 'sip:+12015550101@dialtone.test;user=phone'],
  ['Content_Type', 'application/sdp'],
  ['Request_Response', 'SIP/2.0 401 Unauthorized'],
  ['Request_Response', 'INVITE sip:12015550102@dialtone.test SIP/2.0'],
  ['Contact', 'not <a contact'],
  ['CSeq', 'REGISTER 2']
]

/** A parse result or the error's message, as plain data. */
function outcome(parse: Parse, rule: string, input: string): string {
  try {
    return JSON.stringify(parse(input, { startRule: rule }))
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`
  }
}

describe('sip-grammar-once', () => {
  it('finds sip.js grammar file by its path', () => {
    expect(SIP_GRAMMAR_FILE.test(grammarPath)).toBe(true)
    expect(SIP_GRAMMAR_FILE.test('/x/node_modules/sip.js/lib/grammar/grammar.js')).toBe(false)
  })

  it('moves the bytecode table out of peg$parse, each rule decoded on first use', () => {
    const code = hoistGrammarBytecode(original)
    const inParse = code.slice(code.indexOf('function peg$parse('))
    expect(inParse).toContain('const bc = peg$bytecodeAt(index);')
    expect(inParse).not.toContain('peg$decode("')
    expect(inParse).not.toMatch(/peg\$bytecode\b/)
    const top = code.slice(0, code.indexOf('function peg$parse('))
    expect(top).toContain('const peg$bytecodeText = [')
    expect(top).not.toContain('peg$decode("')
  })

  it('parses every input exactly as the original does, twice in a row', async () => {
    const before = (await import(pathToFileURL(grammarPath).href)) as { parse: Parse }
    const after = await patched()
    for (const [rule, input] of INPUTS)
      for (let round = 0; round < 2; round++)
        expect(outcome(after.parse, rule, input), `${rule}: ${input}`).toBe(
          outcome(before.parse, rule, input)
        )
    // The refused inputs really were refused (the comparison above is not of two empty results).
    expect(outcome(after.parse, 'CSeq', 'REGISTER 2')).toMatch(/^error: /)
    expect(outcome(after.parse, 'CSeq', '2 REGISTER')).toContain('REGISTER')
  })

  it('refuses a grammar.js it does not recognise', () => {
    expect(() => hoistGrammarBytecode('export const parse = () => 1\n')).toThrow(/sip-grammar-once/)
    const odd = original.replace('peg$decode("2 \\"\\"6 7!"),', 'peg$decode(globalThis.x),')
    expect(odd).not.toBe(original)
    expect(() => hoistGrammarBytecode(odd)).toThrow(/not a plain peg\$decode/)
    // A second read of the table (a new sip.js interpreter) would find it gone: refused, not shipped broken.
    const twice = original.replace(
      'const bc = peg$bytecode[index];',
      'const bc = peg$bytecode[index]; peg$bytecode;'
    )
    expect(twice).not.toBe(original)
    expect(() => hoistGrammarBytecode(twice)).toThrow(/reads the table in one place/)
  })
})
