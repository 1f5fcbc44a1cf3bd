/**
 * A Vite plugin for the renderer build: src/renderer/src/limits.ts reads a form's maxLength from the contract's
 * request schemas at run time (so tests and the dev server see the schemas themselves); in the build its module
 * is replaced by the same answers as a table computed here from those schemas, so the renderer ships a few
 * hundred bytes of numbers instead of the contract and zod.
 */
import type { Plugin } from 'vite'
import { formLimitTable } from '../src/shared/ipc/form-limits'

/** The module replaced, by its path's end (the config is bundled before it runs, so no path of its own). */
export const RENDERER_LIMITS_MODULE = '/src/renderer/src/limits.ts'

/** The module that stands in for limits.ts: the same export, answered from the table. */
export function formLimitsModule(): string {
  return [
    '// Generated at build time by scripts/vite-form-limits.ts from the contract (src/shared/ipc/form-limits.ts).',
    `const TABLE = ${JSON.stringify(formLimitTable())}`,
    'export const limit = (command, path) => TABLE[command]?.[path]',
    ''
  ].join('\n')
}

export function formLimits(): Plugin {
  return {
    name: 'dialtone-form-limits',
    apply: 'build',
    enforce: 'pre',
    load: (id) => (id.endsWith(RENDERER_LIMITS_MODULE) ? formLimitsModule() : undefined)
  }
}
