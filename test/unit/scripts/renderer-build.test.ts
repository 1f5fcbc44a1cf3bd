/**
 * The two steps the renderer's build adds so its bundle carries no zod: the form-limits table that stands in for
 * src/renderer/src/limits.ts (same answers as the schemas), and the pure marking of src/shared definitions (same
 * values, dropped when unused). The bundle's size itself is measured by `npm run bench`, not asserted here.
 */
import { parseAst } from 'vite'
import { describe, expect, it } from 'vitest'
import { limit } from '../../../src/renderer/src/limits'
import { COMMAND_NAMES, type CommandName } from '../../../src/shared/ipc/contract'
import { formLimitTable } from '../../../src/shared/ipc/form-limits'
import { formLimitsModule } from '../../../scripts/vite-form-limits'
import { markSharedDefinitionsPure } from '../../../scripts/vite-pure-shared'

type Limit = (command: CommandName, path: string) => number | undefined
const built = async (): Promise<Limit> =>
  ((await import(`data:text/javascript,${encodeURIComponent(formLimitsModule())}`)) as { limit: Limit }).limit

describe('the form-limits table', () => {
  const table = formLimitTable()

  it('holds the limits the forms ask for, equal to the schemas’', async () => {
    const fromTable = await built()
    const asked: [CommandName, string][] = [
      ['account.signIn', 'identifier'],
      ['account.signIn', 'password'],
      ['account.setE911', 'address.street'],
      ['billing.topUp', 'payment.card.number'],
      ['billing.topUp', 'payment.card.cvc'],
      ['account.activatePurchased', 'purchase.orderNumber'],
      ['phone.dial', 'number'],
      ['help.shops', 'q']
    ]
    for (const [command, path] of asked) {
      expect(limit(command, path), `${command} ${path}`).toBeTypeOf('number')
      expect(fromTable(command, path), `${command} ${path}`).toBe(limit(command, path))
    }
  })

  it('answers exactly as the schemas do for every field it lists, and nothing for an unknown one', async () => {
    const fromTable = await built()
    const entries = Object.entries(table).flatMap(([c, paths]) =>
      Object.keys(paths).map((p) => [c as CommandName, p] as const)
    )
    expect(entries.length).toBeGreaterThan(50)
    for (const [command, path] of entries) expect(fromTable(command, path)).toBe(limit(command, path))
    expect(fromTable('account.signIn', 'nothing')).toBeUndefined()
    expect(Object.keys(table).every((c) => (COMMAND_NAMES as readonly string[]).includes(c))).toBe(true)
  })
})

describe('pure marking of shared definitions', () => {
  const mark = (code: string): string | null =>
    markSharedDefinitionsPure(
      code,
      parseAst(code) as unknown as Parameters<typeof markSharedDefinitionsPure>[1]
    )

  it('wraps top-level initialisers that compute, keeping their value', async () => {
    const code = [
      "import { z } from 'zod'",
      'export const A = [1, 2].map((n) => n * 2)',
      'const B = { a: A.length }',
      'export const C = 3',
      'export function f() { return B.a }',
      'globalThis.sideEffect = 1'
    ].join('\n')
    const out = mark(code) ?? ''
    expect(out).toContain('export const A = /* @__PURE__ */ (() => ([1, 2].map((n) => n * 2)))()')
    expect(out).toContain('const B = /* @__PURE__ */ (() => ({ a: A.length }))()')
    // A literal stays as it is; a statement that is not a definition is never touched.
    expect(out).toContain('export const C = 3')
    expect(out).toContain('globalThis.sideEffect = 1')
    const m = (await import(
      `data:text/javascript,${encodeURIComponent(out.replace("import { z } from 'zod'", ''))}`
    )) as { A: number[]; f: () => number }
    expect(m.A).toEqual([2, 4])
    expect(m.f()).toBe(2)
  })

  it('leaves a module with nothing to wrap unchanged, and a top-level await where it is', () => {
    expect(mark('export const A = 1\nexport const f = () => A')).toBeNull()
    expect(mark('export const B = await Promise.resolve([1].map((n) => n))')).toBe(
      'export const B = await Promise.resolve([1].map((n) => n))'
    )
  })
})
