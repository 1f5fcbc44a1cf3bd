/**
 * Each locale in two parts: the words the first page can show, and the rest, which the other pages wait for
 * (App.tsx's `laterPage(...)`). Which words the first page can show is read from the source: the renderer's
 * modules reachable from its entry (src/renderer/src/main.tsx) by static and dynamic imports, stopping at the
 * later pages, and every key any of the renderer's own files among them names — a string starting
 * "<namespace>.<name>" anywhere in the file, template literals included, so `errors.reason.${code}` takes all of
 * errors.reason, and a bare `nav.${name}` all of nav. Naming one too many only costs bytes; one too few would show
 * a raw key, so the match is wide on purpose. src/shared is walked through but not read for names: its
 * "account.renew"-like strings are the contract's channel names, and the words are chosen by the renderer alone.
 * The Vite plugin in ./vite-locale-split.ts serves the two parts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

const RENDERER = resolve('src/renderer/src')

type Tree = Record<string, unknown>

/** The pages App.tsx wraps in laterPage(() => import('./pages/X')): they load the rest of the words. */
export function laterPages(app = resolve(RENDERER, 'App.tsx')): string[] {
  const text = readFileSync(app, 'utf8')
  return [...text.matchAll(/laterPage\(\s*\(\)\s*=>\s*import\('(\.\/pages\/\w+)'\)/g)].map((m) =>
    resolve(dirname(app), `${m[1] ?? ''}.tsx`)
  )
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.[^'"]+)['"]/g

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec)
  for (const candidate of [
    `${base}.ts`,
    `${base}.tsx`,
    base,
    resolve(base, 'index.ts'),
    resolve(base, 'index.tsx')
  ])
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return candidate
  return null
}

/** The source files the first page can run, from the renderer's entry. */
export function firstPageModules(entry = resolve(RENDERER, 'main.tsx')): Set<string> {
  const seen = new Set<string>()
  const stop = new Set(laterPages())
  if (stop.size === 0) throw new Error('App.tsx names no laterPage(...): the locale split would be wrong')
  const walk = (file: string): void => {
    if (seen.has(file) || stop.has(file)) return
    seen.add(file)
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const next = resolveImport(file, m[1] ?? '')
      if (next) walk(next)
    }
  }
  walk(entry)
  return seen
}

/** What the first page names: whole namespaces ('nav') and namespace.name pairs ('errors.reason'). */
export function firstPageNames(namespaces: readonly string[]): Set<string> {
  const names = new Set<string>()
  const named = new RegExp(`['"\`](${namespaces.join('|')})\\.([\\w-]+|\\$)`, 'g')
  for (const file of firstPageModules())
    if (file.startsWith(RENDERER))
      for (const m of readFileSync(file, 'utf8').matchAll(named))
        names.add(m[2] === '$' ? (m[1] ?? '') : `${m[1] ?? ''}.${m[2] ?? ''}`)
  return names
}

/** A plural's stem: 'count_other' is asked for as 'count'. */
const stem = (key: string): string => key.replace(/_(zero|one|two|few|many|other)$/, '')

/** Splits one locale by the names the first page uses (firstPageNames of the English locale's namespaces). */
export function splitLocale(locale: Tree, names: ReadonlySet<string>): { first: Tree; later: Tree } {
  const first: Tree = {}
  const later: Tree = {}
  for (const [ns, value] of Object.entries(locale)) {
    if (typeof value !== 'object' || value === null || names.has(ns)) {
      first[ns] = value
      continue
    }
    for (const [key, words] of Object.entries(value as Tree)) {
      const part = names.has(`${ns}.${key}`) || names.has(`${ns}.${stem(key)}`) ? first : later
      ;((part[ns] ??= {}) as Tree)[key] = words
    }
  }
  return { first, later }
}
