import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REASON_CODES } from '../../../src/shared/api/reasons'
import { LANGUAGES, languageDir, matchLanguage } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { VERDICT_TEXT } from '../../../src/shared/diagnostics/verdicts'

type Tree = { [k: string]: string | Tree }
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flatten(v, `${prefix}${k}.`))
    )
  )
const PLURAL = /_(zero|one|two|few|many|other)$/
const base = (key: string): string => key.replace(PLURAL, '')
const variables = (s: string): string[] => [...s.matchAll(/{{\s*(\w+)/g)].map((m) => m[1] ?? '').sort()

const english = flatten(RESOURCES.en as Tree)
const LOCALES = join(import.meta.dirname, '../../../src/renderer/src/i18n/locales')

/**
 * A value placed right before a counted English noun ("{{rings}} rings", "{{days}} days") is a count: the sentence
 * needs the language's plural forms (key_one, key_other… with `count`), or it reads "1 rings" (French "1 sonneries").
 */
const COUNTED =
  /\{\{[^}]+\}\}\s+(?:rings?|seconds?|minutes?|hours?|days?|weeks?|months?|years?|characters?|digits?|emails?|numbers?|miles?|devices?|messages?)\b/
/**
 * Words a translation rightly leaves as in English: names (of the app, systems, card brands) in every language, and
 * per language the words it shares with English. Anything else equal to its English string is a string left
 * untranslated (the on-screen phone's "Flash" read so in French, Croatian, Romanian and Slovenian).
 */
const NAMES = ['Dialtone', 'Linux', 'macOS', 'Windows', 'Visa', 'Mastercard', 'American Express']
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  fa: NAMES,
  fr: [
    ...NAMES,
    'Audio',
    'Canada',
    'Conditions',
    'Date',
    'Documents',
    'Dongle',
    'Hub {{id}}',
    'Interfaces',
    'international',
    'Messages',
    'Microphone',
    'Minutes',
    'OK',
    'Port',
    'Service',
    'Total',
    'Type',
    'Version {{version}}'
  ],
  hr: [...NAMES, 'Administrator', 'Hub {{id}}', 'Problem'],
  ro: [
    ...NAMES,
    'Administrator',
    'Audio',
    'Canada',
    'Card',
    'Cost',
    'Dongle',
    'Export (JSON)',
    'Firmware',
    'Hub {{id}}',
    'Online',
    'Port',
    'Total',
    'Total: {{total}}'
  ],
  sl: NAMES
}
/** A string with words in it: two letters in a row outside its placeholders ("{{seconds}} s" has none). */
const hasWords = (s: string): boolean => /\p{L}{2}/u.test(s.replace(/{{[^}]*}}/g, ''))

/**
 * The keys written twice in one object of a JSON text, as "path.key". JSON.parse keeps the last of them without a
 * word: a new reason named like an old one replaced the old one's sentence in every language.
 */
function repeatedKeys(text: string): string[] {
  const found: string[] = []
  const stack: { keys: Set<string>; path: string; pending: string | null }[] = []
  const strings = /"(?:[^"\\]|\\.)*"|[{}[\]:,]/g
  let last = ''
  for (const [token] of text.matchAll(strings)) {
    const top = stack.at(-1)
    if (token === '{') stack.push({ keys: new Set(), path: top?.pending ?? '', pending: null })
    else if (token === '}') stack.pop()
    else if (token === ':' && top && last.startsWith('"')) {
      const key = JSON.parse(last) as string
      if (top.keys.has(key)) found.push(`${top.path}${key}`)
      top.keys.add(key)
      top.pending = `${top.path}${key}.`
    }
    last = token
  }
  return found
}

describe('translations', () => {
  it('write each key once, and each reason code once', () => {
    expect(repeatedKeys('{"a": {"b": "x", "c": "{", "b": "y"}, "d": {"b": 1}}')).toEqual(['a.b'])
    for (const lang of LANGUAGES.map((l) => l.code)) {
      const text = readFileSync(join(LOCALES, `${lang}.json`), 'utf8')
      expect(repeatedKeys(text), lang).toEqual([])
    }
    expect(REASON_CODES.filter((r, i) => REASON_CODES.indexOf(r) !== i)).toEqual([])
  })

  it('exist for every language Dialtone speaks', () => {
    expect(Object.keys(RESOURCES).sort()).toEqual(LANGUAGES.map((l) => l.code).sort())
  })

  it('put every sentence that counts in plural forms', () => {
    const counting = Object.entries(english)
      .filter(([key, value]) => !PLURAL.test(key) && COUNTED.test(value))
      .map(([key]) => key)
    expect(counting, 'a value before a counted noun, without plural forms').toEqual([])
  })

  for (const { code } of LANGUAGES) {
    describe(code, () => {
      const strings = flatten(RESOURCES[code] as Tree)

      it('translate every English string and add none', () => {
        const mine = new Set(Object.keys(strings).map(base))
        const theirs = new Set(Object.keys(english).map(base))
        expect(
          [...theirs].filter((k) => !mine.has(k)),
          'missing'
        ).toEqual([])
        expect(
          [...mine].filter((k) => !theirs.has(k)),
          'extra'
        ).toEqual([])
      })

      it("have every plural form the language's rules need", () => {
        const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories
        const plurals = new Set(
          Object.keys(english)
            .filter((k) => PLURAL.test(k))
            .map(base)
        )
        for (const key of plurals) {
          for (const category of categories)
            expect(strings, `${key}_${category}`).toHaveProperty([`${key}_${category}`])
        }
      })

      if (code !== 'en')
        it('leave no English string untranslated but the words the language shares with English', () => {
          const same = Object.entries(strings)
            .filter(([key, value]) => value === english[key] && hasWords(value))
            .map(([, value]) => value)
            .filter((value) => !SAME_AS_ENGLISH[code]?.includes(value))
          expect(same).toEqual([])
        })

      it('format placeholders only as numbers, the one format the renderer knows', () => {
        const formats = Object.values(strings).flatMap((v) => [
          ...v.matchAll(/{{\s*\w+\s*,\s*([^}]*?)\s*}}/g)
        ])
        expect(formats.map((m) => m[1]).filter((f) => f !== 'number')).toEqual([])
      })

      it('keep the same placeholders and leave nothing empty', () => {
        for (const [key, value] of Object.entries(strings)) {
          expect(value.trim(), key).not.toBe('')
          const source = english[key] ?? english[`${base(key)}_other`] ?? ''
          expect(variables(value), key).toEqual(variables(source))
        }
      })
    })
  }

  it('name the places of the app as their tabs and titles name them, in every language', () => {
    // An English sentence naming a place ("Check the service address in Settings") and the words that place is
    // shown under. The translation must use the same name (its stem, for languages that decline it: Croatian
    // "u Postavkama" for "Postavke"), or the person looks for a page that has another name (French said
    // "Réglages" for the page called "Paramètres").
    const PLACES: [RegExp, string][] = [
      [/\bSettings\b/, 'nav.settings'],
      [/\bAccount page\b|\bAccount →/, 'nav.account'],
      [/\bPhone page\b/, 'nav.phone'],
      [/\bDevice page\b/, 'nav.device'],
      [/\bDiagnostics\b/, 'nav.diagnostics'],
      [/\bHelp\b/, 'nav.help'],
      [/\bBilling\b(?! (?:address|street))/, 'account.sections.billing'],
      [/\bOverview\b/, 'account.sections.overview'],
      [/\bProfile\b/, 'account.sections.profile'],
      [/\bunder Balance\b/, 'billing.balanceTitle']
    ]
    const stem = (name: string): string => name.toLowerCase().slice(0, Math.max(4, name.length - 2))
    const checked = new Set<string>()
    const wrong: string[] = []
    for (const { code } of LANGUAGES.filter((l) => l.code !== 'en')) {
      const strings = flatten(RESOURCES[code] as Tree)
      for (const [key, value] of Object.entries(english))
        for (const [names, place] of PLACES) {
          // The place's own label, and a label that is only the word (a role called "Billing"), are not sentences.
          if (!names.test(value) || key === place || value === english[place]) continue
          checked.add(key)
          const name = strings[place] ?? ''
          if (!(strings[key] ?? '').toLowerCase().includes(stem(name))) wrong.push(`${code} ${key}: ${name}`)
        }
    }
    expect(checked.size).toBeGreaterThan(20)
    expect(wrong).toEqual([])
  })

  it('lay Persian out right to left and the others left to right', () => {
    expect(LANGUAGES.filter((l) => languageDir(l.code) === 'rtl').map((l) => l.code)).toEqual(['fa'])
  })

  it("match the system's language by its base tag", () => {
    expect(matchLanguage(['fr-CA', 'en-US'])).toBe('fr')
    expect(matchLanguage(['de-DE', 'sl-SI'])).toBe('sl')
    expect(matchLanguage(['ja'])).toBe('en')
  })
})

describe('diagnostic verdicts', () => {
  it('read in English exactly as the CLI and the printable report say them', () => {
    const en = RESOURCES.en.verdict as Record<string, { title: string; cause: string; fix: string }>
    for (const [code, text] of Object.entries(VERDICT_TEXT)) {
      expect(en[code], code).toEqual({ title: text.title, cause: text.cause, fix: text.fix })
    }
  })
})

/**
 * A button whose accessible name is not its visible text (an `aria-label` naming what it acts on) starts with that
 * text, so that someone who speaks to the computer can say what they see (WCAG 2.5.3): [visible, accessible name].
 */
const LABEL_IN_NAME: readonly (readonly [string, string])[] = [['phone.call', 'phone.callBack']]

describe('accessible names', () => {
  for (const { code } of LANGUAGES)
    it(`hold the visible words in ${code}`, () => {
      const words = flatten(RESOURCES[code] as Tree)
      for (const [shown, name] of LABEL_IN_NAME)
        expect(words[name], name).toMatch(new RegExp(`^${words[shown]}`))
    })
})
