/**
 * The build step that keeps sip.js's canonical header names (scripts/sip-headerize-once.ts): the kept function must
 * answer exactly what the original answers (the exceptions, short forms, underscores, names from the network, the
 * throw for a value that is not a string), work each name out once, keep no more than MAX_NAMES names, and the step
 * must refuse a utils.js it does not recognise instead of passing it through.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { MAX_NAMES, SIP_UTILS_FILE, headerizeOnce } from '../../../scripts/sip-headerize-once'

type Headerize = (name: unknown) => string

const utilsPath = join(dirname(createRequire(import.meta.url).resolve('sip.js')), 'core/messages/utils.js')
const original = readFileSync(utilsPath, 'utf8')
/** Counts, in the loaded module, each time a name is really worked out (the original's split). */
const COUNTED = original.replace(
  '    const name = str.toLowerCase().replace(/_/g, "-").split("-");',
  '    globalThis.__dialtoneHeaderized = (globalThis.__dialtoneHeaderized ?? 0) + 1;\n    const name = str.toLowerCase().replace(/_/g, "-").split("-");'
)

/** A utils.js source as a module of its own (it imports nothing). */
async function load(source: string): Promise<{ headerize: Headerize }> {
  expect(source).not.toMatch(/^import /m)
  const file = join(mkdtempSync(join(tmpdir(), 'dialtone-headerize-')), 'utils.mjs')
  writeFileSync(file, source)
  return (await import(pathToFileURL(file).href)) as { headerize: Headerize }
}

const NAMES = [
  'call-id',
  'Call-ID',
  'i',
  'cseq',
  'www-authenticate',
  'Proxy_Authenticate',
  'min-se',
  'rack',
  'RSeq',
  'record-route',
  'X-Custom--odd-',
  'p-asserted-identity',
  '',
  '__proto__',
  'constructor'
]

function outcome(h: Headerize, name: unknown): string {
  try {
    return JSON.stringify(h(name))
  } catch (err) {
    return `error: ${err instanceof Error ? err.constructor.name : String(err)}`
  }
}

describe('sip-headerize-once', () => {
  it('finds sip.js utils file by its path', () => {
    expect(SIP_UTILS_FILE.test(utilsPath)).toBe(true)
    expect(SIP_UTILS_FILE.test('/x/node_modules/sip.js/lib/core/utils.js')).toBe(false)
  })

  it('answers exactly what the original answers, again and again', async () => {
    const before = await load(original)
    const after = await load(headerizeOnce(original))
    for (let round = 0; round < 3; round++)
      for (const name of [...NAMES, undefined, 7])
        expect(outcome(after.headerize, name), String(name)).toBe(outcome(before.headerize, name))
    expect(after.headerize('call-id')).toBe('Call-ID')
    expect(outcome(after.headerize, undefined)).toMatch(/^error: TypeError/)
  })

  it('works each name out once, and keeps no more than MAX_NAMES of them', async () => {
    const g = globalThis as { __dialtoneHeaderized?: number }
    g.__dialtoneHeaderized = 0
    const { headerize } = await load(headerizeOnce(COUNTED))
    for (let i = 0; i < 5; i++) for (const name of NAMES) headerize(name)
    expect(g.__dialtoneHeaderized).toBe(NAMES.length)
    // Names from the network past the bound are worked out each time, not kept.
    for (let i = 0; i < MAX_NAMES; i++) headerize(`x-flood-${i}`)
    const counted = g.__dialtoneHeaderized
    headerize('x-flood-late')
    headerize('x-flood-late')
    expect(g.__dialtoneHeaderized).toBe(counted + 2)
    // The kept ones still answer from memory.
    headerize('call-id')
    expect(g.__dialtoneHeaderized).toBe(counted + 2)
    // The original works every call out again.
    g.__dialtoneHeaderized = 0
    const plain = await load(COUNTED)
    for (let i = 0; i < 5; i++) plain.headerize('call-id')
    expect(g.__dialtoneHeaderized).toBe(5)
    delete g.__dialtoneHeaderized
  })

  it('refuses a utils.js it does not recognise', () => {
    expect(() => headerizeOnce('export const x = 1\n')).toThrow(/sip-headerize-once/)
    expect(() => headerizeOnce(headerizeOnce(original))).toThrow(/sip-headerize-once/)
  })
})
