/**
 * A Vite plugin for the renderer: builds the first-paint script (src/renderer/src/first-paint/main.ts) into one
 * plain script and places it right after #root in index.html. It runs as the parser reaches it, before any module
 * (modules wait for the whole document), so the shell's frame is drawn in the person's language and direction
 * while React, the language file and the first page are still on their way. Its words are each locale's
 * FIRST_PAINT_KEYS, taken from the locale files here, so it carries a few hundred bytes of words, not six files.
 * The script is a file of the app ('self' in the CSP), never inline.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import type { Plugin } from 'vite'
import { LANGUAGE_CODES } from '../src/shared/i18n/languages'
import { FIRST_PAINT_KEYS, type FirstPaintWords } from '../src/renderer/src/first-paint/keys'

const RENDERER = resolve('src/renderer/src')
/** The built app's module script and module preloads, each on a line of its own in the head. */
const MODULE_TAGS = /^\s*<(?:script type="module"[^>]*><\/script|link rel="modulepreload"[^>]*)>\n/gm

/** Each language's first-paint words, read from its locale file; a missing key fails the build. */
export function firstPaintWords(): FirstPaintWords {
  const words = {} as FirstPaintWords
  for (const code of LANGUAGE_CODES) {
    const locale = JSON.parse(
      readFileSync(resolve(RENDERER, 'i18n/locales', `${code}.json`), 'utf8')
    ) as unknown
    const picked = {} as Record<string, string>
    for (const key of FIRST_PAINT_KEYS) {
      const value = key
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], locale)
      if (typeof value !== 'string') throw new Error(`locale ${code} has no words for ${key}`)
      picked[key] = value
    }
    words[code] = picked as FirstPaintWords[typeof code]
  }
  return words
}

/** The first-paint script, minified, as one IIFE. */
export async function firstPaintScript(): Promise<string> {
  const out = await build({
    entryPoints: [resolve(RENDERER, 'first-paint/main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    charset: 'utf8',
    target: 'es2022',
    define: { __FIRST_PAINT_WORDS__: JSON.stringify(firstPaintWords()) },
    write: false,
    logLevel: 'error'
  })
  return out.outputFiles[0]?.text ?? ''
}

export function firstPaint(): Plugin {
  let source = ''
  let fileName = ''
  return {
    name: 'dialtone-first-paint',
    async buildStart() {
      source = await firstPaintScript()
      fileName = `assets/first-paint-${createHash('sha256').update(source).digest('hex').slice(0, 8)}.js`
    },
    // The dev server answers the same path with the same script.
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== `/${fileName}`) return next()
        res.setHeader('Content-Type', 'text/javascript')
        res.end(source)
      })
    },
    transformIndexHtml: {
      order: 'post',
      handler: (html) => {
        // The app's module tags move from the head to after this script: the browser asks for files in document
        // order over at most six connections to the host, and the five modules the head lists would otherwise
        // take them all while the stylesheet and this script wait. Modules run after the document is parsed
        // wherever their tags stand.
        const modules = (html.match(MODULE_TAGS) ?? []).map((tag) => tag.trim())
        const rest = html.replace(MODULE_TAGS, '')
        return rest.replace(
          '<div id="root"></div>',
          ['<div id="root"></div>', `<script src="./${fileName}"></script>`, ...modules].join('\n    ')
        )
      }
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source })
    }
  }
}
