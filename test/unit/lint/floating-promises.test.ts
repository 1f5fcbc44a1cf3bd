/**
 * Proves the typed rule in eslint.config.js fires: a promise dropped, or dropped with a bare `void`, is refused;
 * `void p.catch(handler)` is the accepted way to leave one running. Linted as the text of a real file of src, so
 * TypeScript's project knows it and the rule has types.
 */
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')
const eslint = new ESLint({ cwd: root })

async function floating(code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: join(root, 'src/shared/rejections.ts') })
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises').length
}

const work = 'export async function work(): Promise<number> {\n  return 1\n}\n'

describe('no-floating-promises', () => {
  // The first lint builds TypeScript's program of the whole project (17 s of a three-worker run on two cores).
  it('refuses a dropped promise and a bare void', { timeout: 60_000 }, async () => {
    expect(await floating(`${work}work()\n`)).toBe(1)
    expect(await floating(`${work}void work()\n`)).toBe(1)
    expect(await floating(`${work}void work().then(() => undefined)\n`)).toBe(1)
  })

  it('accepts a promise left running with a logged catch, or awaited', async () => {
    expect(await floating(`${work}void work().catch((err: unknown) => console.error(err))\n`)).toBe(0)
    expect(await floating(`${work}await work()\n`)).toBe(0)
  })
})
