/**
 * The words the first paint shows, by locale key: the shell's frame as the app first renders it (navigation,
 * the status bar still checking, the page loading). The build (scripts/vite-first-paint.ts) copies these keys of
 * each language, and only these, into the first-paint script.
 */
import { PAGES } from '../../../shared/ipc/app-pages'
import type { LanguageCode } from '../../../shared/i18n/languages'

export const FIRST_PAINT_KEYS = [
  'app.name',
  'app.navLabel',
  'app.skip',
  'app.loading',
  'status.label',
  'status.checking',
  ...PAGES.map((p) => `nav.${p}` as const)
] as const
export type FirstPaintKey = (typeof FIRST_PAINT_KEYS)[number]

/** Each language's first-paint words, key by key. */
export type FirstPaintWords = Record<LanguageCode, Record<FirstPaintKey, string>>
