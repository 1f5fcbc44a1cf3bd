/**
 * A Vite plugin for the renderer: answers `./locales/<code>.json?first` and `?later` (imported by
 * src/renderer/src/i18n/index.ts) with the two parts of a language's words (./locale-split.ts); each becomes its
 * own chunk of the build. The first page loads only the first part; the later pages load the rest with their
 * own code. Without the plugin (unit tests) the query is not understood; the renderer is only run built.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { LANGUAGE_CODES } from '../src/shared/i18n/languages'
import { firstPageNames, splitLocale } from './locale-split'

/** A locale part's module id: the locale file with ?first or ?later. */
const PART = /\/src\/renderer\/src\/i18n\/locales\/(\w+)\.json\?(first|later)$/
const LOCALES = resolve('src/renderer/src/i18n/locales')

const readLocale = (code: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(LOCALES, `${code}.json`), 'utf8')) as Record<string, unknown>

export function localeSplit(): Plugin {
  let names: Set<string> | null = null
  const namesOnce = (): Set<string> => (names ??= firstPageNames(Object.keys(readLocale('en'))))
  return {
    name: 'dialtone-locale-split',
    buildStart() {
      names = null
      for (const code of LANGUAGE_CODES) this.addWatchFile(resolve(LOCALES, `${code}.json`))
    },
    load(id) {
      const m = PART.exec(id)
      if (!m) return undefined
      const [, code = '', part = 'first'] = m
      if (!(LANGUAGE_CODES as readonly string[]).includes(code)) throw new Error(`no locale ${code}`)
      const words = splitLocale(readLocale(code), namesOnce())[part as 'first' | 'later']
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(words))})\n`
    }
  }
}
