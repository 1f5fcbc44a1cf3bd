/**
 * Every key the renderer asks for by name — `t('a.b')` — exists in the English locale (locales.test.ts then holds
 * the other five to the same keys). A key lost in a merge or misspelt would otherwise show on screen as
 * "a.b", which no type check sees. Keys built at run time (`t(\`lines.status.${s}\`)`) are checked by the tests of
 * their tables (words.test.ts).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import en from '../../../src/renderer/src/i18n/locales/en.json'

const RENDERER = join(import.meta.dirname, '../../../src/renderer/src')

function has(tree: unknown, key: string): boolean {
  let at: unknown = tree
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null || !(part in at)) return false
    at = (at as Record<string, unknown>)[part]
  }
  // A plural key is asked for by its stem ('x') and stored as 'x_one', 'x_other'.
  return at !== undefined
}
const exists = (key: string): boolean => has(en, key) || has(en, `${key}_other`) || has(en, `${key}_one`)

function keysUsed(): Map<string, string> {
  const used = new Map<string, string>()
  for (const file of readdirSync(RENDERER, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(file)) continue
    const text = readFileSync(join(RENDERER, file), 'utf8')
    for (const m of text.matchAll(
      /\bt\(\s*(?:[^()'"`]*\?\s*)?'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'(?:\s*:\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)')?/g
    ))
      for (const key of [m[1], m[2]]) if (key) used.set(key, file)
  }
  return used
}

const isPlural = (key: string): boolean => !has(en, key) && has(en, `${key}_other`)

/**
 * Each call of a plural key by name with the options it passes ('' when it passes none): the text of the object
 * literal after the key, braces balanced, so a nested call (`name: words.plan(p.code)`) stays inside it.
 */
function pluralCalls(): { key: string; file: string; options: string }[] {
  const calls: { key: string; file: string; options: string }[] = []
  for (const file of readdirSync(RENDERER, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(file)) continue
    const text = readFileSync(join(RENDERER, file), 'utf8')
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'\s*(,\s*\{)?/g)) {
      if (!m[1] || !isPlural(m[1])) continue
      let options = ''
      if (m[2]) {
        const open = m.index + m[0].length - 1
        let depth = 0
        let end = open
        do {
          if (text[end] === '{') depth++
          else if (text[end] === '}') depth--
          end++
        } while (depth > 0 && end < text.length)
        options = text.slice(open, end)
      }
      calls.push({ key: m[1], file, options })
    }
  }
  return calls
}

describe('the keys the screens ask for', () => {
  const used = keysUsed()

  it('finds them (the scan itself works)', () => {
    expect(used.has('account.title')).toBe(true)
    expect(used.size).toBeGreaterThan(300)
  })

  it('pass the count that picks the plural form, for every key that has plural forms', () => {
    const calls = pluralCalls()
    expect(calls.map((c) => c.key)).toContain('forwarding.ringsOption')
    const countless = calls.filter((c) => !/\bcount\b/.test(c.options)).map((c) => `${c.key} (${c.file})`)
    expect(countless, 'without count the sentence always reads its _other form').toEqual([])
  })

  it('are all in the English locale', () => {
    const missing = [...used].filter(([key]) => !exists(key)).map(([key, file]) => `${key} (${file})`)
    expect(missing).toEqual([])
  })
})
