/**
 * Nothing a person reads is written into a screen's markup: every text between tags and every attribute a person
 * reads or hears (aria-label, title, placeholder, alt…) comes from the locale (t(...)), so it is there in all six
 * languages. Read from the renderer's .tsx files with the TypeScript parser; names that are the same in every
 * language (of the runtimes on the About card) are the only words allowed as they are. Lists in a sentence are
 * joined as the language joins them (formatList: Persian "،" and "و"), not with an English ", ".
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { formatList } from '../../../src/renderer/src/format-intl'

const RENDERER = join(import.meta.dirname, '../../../src/renderer/src')
/** Attributes whose value a person reads or a screen reader says. */
const READ = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'aria-placeholder',
  'title',
  'placeholder',
  'alt',
  'label',
  'summary'
])
/** Words that are names in every language. */
const NAMES = /\b(Node|Electron|Dialtone)\b/g
const hasWords = (s: string): boolean => /\p{L}/u.test(s.replace(NAMES, ''))

/** Each piece of literal text a person would read, as "file:line text". */
function literalText(file: string, text: string): string[] {
  const found: string[] = []
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const at = (n: ts.Node): string => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`
  const visit = (n: ts.Node): void => {
    if (ts.isJsxText(n) && hasWords(n.text)) found.push(`${at(n)} ${n.text.trim()}`)
    if (ts.isJsxAttribute(n) && READ.has(n.name.getText()) && n.initializer) {
      const i = n.initializer
      const value = ts.isJsxExpression(i) ? i.expression : i
      if (
        value &&
        (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) &&
        hasWords(value.text)
      )
        found.push(`${at(n)} ${n.name.getText()}="${value.text}"`)
    }
    ts.forEachChild(n, visit)
  }
  visit(sf)
  return found
}

describe('text on the screens', () => {
  it('finds literal text (the scan itself works)', () => {
    expect(literalText('x.tsx', '<p title="Hello">Hi <b>there</b>{t("a.b")}</p>')).toEqual([
      'x.tsx:1 title="Hello"',
      'x.tsx:1 Hi',
      'x.tsx:1 there'
    ])
    expect(literalText('x.tsx', '<input placeholder={"MM/YY"} aria-label={t("k")} />')).toEqual([
      'x.tsx:1 placeholder="MM/YY"'
    ])
    expect(literalText('x.tsx', '<dd>· Node {v}</dd>')).toEqual([])
  })

  it('comes from the locale, never written into the markup', () => {
    const found = readdirSync(RENDERER, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.tsx'))
      .flatMap((f) => literalText(f, readFileSync(join(RENDERER, f), 'utf8')))
    expect(found).toEqual([])
  })
})

describe('lists in a sentence', () => {
  it('join as the language joins them', () => {
    expect(formatList(['911 address', 'phone number'], 'en')).toBe('911 address and phone number')
    expect(formatList(['a', 'b', 'c'], 'fa')).toMatch(/^a،\u200f? b، و c$/)
    expect(formatList(['a', 'b'], 'hr')).toBe('a i b')
    expect(formatList(['a'], 'fr')).toBe('a')
  })

  it('are never joined with an English comma on a screen (postal addresses, written the US way, aside)', () => {
    const joined = readdirSync(RENDERER, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.tsx'))
      .flatMap((f) =>
        readFileSync(join(RENDERER, f), 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${f}:${i + 1}`, line }))
      )
      .filter(({ line }) => /\.join\(\s*['"`]\s*,\s+['"`]\s*\)/.test(line) && !/\bstreet\b/.test(line))
      .map(({ at }) => at)
    expect(joined).toEqual([])
  })
})
