/**
 * Proves the layer rules in eslint.config.js fire: each fixture holds one deliberate forbidden import and is
 * linted as if it stood at a path in the layer it would break. One allowed case shows the rule is not blind.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')
// The fixtures are linted as if they stood at paths that do not exist: no TypeScript project holds them, so the
// typed rules (which need one) are off here; the layer rules do not need types.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' }
  }
})

async function restrictedImports(fixture: string, asPath: string): Promise<string[]> {
  const code = readFileSync(join(root, 'test/fixtures/lint', fixture), 'utf8')
  const [result] = await eslint.lintText(code, { filePath: join(root, asPath) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('the layer rule', () => {
  it.each([
    ['shared-imports-main.ts', 'src/shared/leak.ts', 'src/shared may not import from main'],
    ['shared-imports-node.ts', 'src/shared/ipc/leak.ts', 'src/shared is pure: no Node built-ins.'],
    [
      'main-imports-electron.ts',
      'src/main/device/leak.ts',
      'Only src/main/electron and src/preload may import electron.'
    ],
    ['renderer-imports-main.ts', 'src/renderer/src/leak.ts', 'src/renderer may not import from main'],
    [
      'renderer-imports-electron.ts',
      'src/renderer/src/leak.ts',
      'Only src/main/electron and src/preload may import electron.'
    ],
    ['server-imports-main.ts', 'src/server/leak.ts', 'src/server may not import from main']
  ])('fails %s placed at %s', async (fixture, asPath, expected) => {
    const messages = await restrictedImports(fixture, asPath)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain(expected)
  })

  it('lets src/main/electron import electron and the rest of main', async () => {
    expect(await restrictedImports('electron-imports-electron.ts', 'src/main/electron/leak.ts')).toEqual([])
  })
})
