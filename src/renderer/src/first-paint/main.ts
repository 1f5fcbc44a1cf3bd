/**
 * Entry of the first-paint script (built by scripts/vite-first-paint.ts into a plain, render-blocking script
 * placed right after #root in index.html): the shell's frame in the person's language before any module loads.
 * Its words are the build's (__FIRST_PAINT_WORDS__, the six locales' FIRST_PAINT_KEYS); the language is the one
 * the app's first render will use (./i18n/remembered.ts).
 */
import { firstLanguage } from '../i18n/remembered'
import { pageFromHash } from '../page-from-hash'
import type { FirstPaintWords } from './keys'
import { paintShell } from './paint'

declare const __FIRST_PAINT_WORDS__: FirstPaintWords

const root = document.getElementById('root')
// A root React has already filled (never, as this script runs first; kept so it can never draw over the app).
if (root && root.childElementCount === 0) {
  const lang = firstLanguage()
  paintShell(document, root, lang, __FIRST_PAINT_WORDS__[lang], pageFromHash(window.location.hash))
}
