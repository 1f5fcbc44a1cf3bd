/**
 * The two parts of each locale (scripts/locale-split.ts): together they are the whole locale, nothing twice; the
 * first page's part holds every key its screens ask for by name (the same scan as keys-used.test.ts, over the
 * modules the first page can run), and the later pages really are split off (the walk stops at them).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { firstPageModules, firstPageNames, laterPages, splitLocale } from '../../../scripts/locale-split'

type Tree = Record<string, unknown>
const flatten = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? flatten(v as Tree, `${prefix}${k}.`) : [`${prefix}${k}`]
  )
const has = (tree: Tree, key: string): boolean =>
  [key, `${key}_one`, `${key}_other`].some((k) =>
    flatten(tree).some((flat) => flat === k || flat.startsWith(`${k}.`))
  )

const names = firstPageNames(Object.keys(RESOURCES.en as Tree))
const modules = firstPageModules()

describe('the locale split', () => {
  it('stops at the pages App.tsx loads later, and reaches the first page and its setup wizard', () => {
    const later = laterPages().map((p) => p.split('/').pop())
    expect(later.sort()).toEqual(
      ['AccountPage.tsx', 'DiagnosticsPage.tsx', 'HelpPage.tsx', 'PhonePage.tsx', 'SettingsPage.tsx'].sort()
    )
    const reached = [...modules].map((f) => f.split('/').pop())
    expect(reached).toContain('DevicePage.tsx')
    expect(reached).toContain('SetupWizard.tsx')
    for (const page of later) expect(reached).not.toContain(page)
  })

  for (const { code } of LANGUAGES) {
    it(`${code}: the two parts are the whole locale, each key once`, () => {
      const whole = RESOURCES[code] as Tree
      const { first, later } = splitLocale(whole, names)
      const keys = [...flatten(first), ...flatten(later)]
      expect(new Set(keys).size).toBe(keys.length)
      expect(keys.sort()).toEqual(flatten(whole).sort())
      expect(flatten(later).length).toBeGreaterThan(0)
    })
  }

  it("holds every key the first page's screens ask for by name in the first part", () => {
    const { first } = splitLocale(RESOURCES.en as Tree, names)
    const asked = [...modules]
      .filter((f) => f.includes(join('src', 'renderer')))
      .flatMap((f) =>
        [
          ...readFileSync(f, 'utf8').matchAll(
            /\bt\(\s*(?:[^()'"`]*\?\s*)?'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'(?:\s*:\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)')?/g
          )
        ].flatMap((m) => [m[1], m[2]])
      )
      .filter((k): k is string => k !== undefined)
    expect(asked.length).toBeGreaterThan(50)
    expect(asked.filter((key) => !has(first, key))).toEqual([])
  })
})
