/**
 * Proves the layer rule (local/layers, eslint-rules/layers.js, configured in eslint.config.js) fires: each fixture
 * holds one deliberate forbidden import and is linted as if it stood at a path in the layer it would break. The
 * rule checks where an import resolves, so the imports that climb around the old string patterns (through the
 * project root, './../', an alias, into test/ or into another host) are caught too. Allowed cases show it is not
 * blind.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')
// The fixtures are linted as if they stood at paths that do not exist: no TypeScript project holds them, so the
// typed rules (which need one) are off here; the layer rule does not need types.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' }
  }
})

const fixture = (name: string): string => readFileSync(join(root, 'test/fixtures/lint', name), 'utf8')

async function layerErrors(name: string, asPath: string): Promise<string[]> {
  const [result] = await eslint.lintText(fixture(name), { filePath: join(root, asPath) })
  expect(result?.messages.filter((m) => m.fatal)).toEqual([])
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layers').map((m) => m.message)
}

/** The string pattern eslint.config.js used before (a relative import climbing straight into another layer). */
const oldPattern = /^(\.\.\/)+(main|renderer|server|preload)(\/|$)/
const specifierOf = (name: string): string => /from '([^']+)'/.exec(fixture(name))?.[1] ?? ''

describe('the layer rule', () => {
  it.each([
    ['shared-imports-main.ts', 'src/shared/leak.ts', 'src/shared may not import from src/main'],
    ['shared-imports-node.ts', 'src/shared/ipc/leak.ts', 'src/shared is pure: no Node built-ins.'],
    ['shared-imports-package.ts', 'src/shared/leak.ts', "src/shared may not import the package 'pino'"],
    [
      'main-imports-electron.ts',
      'src/main/device/leak.ts',
      'Only src/main/electron and src/preload may import electron.'
    ],
    ['renderer-imports-main.ts', 'src/renderer/src/leak.ts', 'src/renderer may not import from src/main'],
    [
      'renderer-imports-electron.ts',
      'src/renderer/src/leak.ts',
      'Only src/main/electron and src/preload may import electron.'
    ],
    ['server-imports-main.ts', 'src/server/leak.ts', 'src/server may not import from src/main']
  ])('fails %s placed at %s', async (name, asPath, expected) => {
    const messages = await layerErrors(name, asPath)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain(expected)
  })

  it.each([
    ['main-climbs-to-renderer.ts', 'src/main/leak.ts', 'src/main may not import from src/renderer'],
    ['main-dot-climbs-to-renderer.ts', 'src/main/leak.ts', 'src/main may not import from src/renderer'],
    [
      'server-imports-test.ts',
      'src/server/http/leak.ts',
      'src/server may not import from test/support/service'
    ],
    ['main-imports-alias.ts', 'src/main/leak.ts', "'@renderer/App' resolves to no file or package"],
    [
      'main-imports-electron-host.ts',
      'src/main/phone/leak.ts',
      'src/main may not import from src/main/electron'
    ]
  ])('fails %s placed at %s, which the old string pattern let through', async (name, asPath, expected) => {
    expect(oldPattern.test(specifierOf(name))).toBe(false)
    const messages = await layerErrors(name, asPath)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain(expected)
  })

  it('lets src/main/electron import electron and the rest of main', async () => {
    expect(await layerErrors('electron-imports-electron.ts', 'src/main/electron/leak.ts')).toEqual([])
  })

  it('lets the service import its packages, the shared schemas and package.json', async () => {
    expect(await layerErrors('server-imports-allowed.ts', 'src/server/leak.ts')).toEqual([])
  })

  it('applies the most specific layer: main/web may not import main/electron', async () => {
    const messages = await layerErrors('main-imports-electron-host.ts', 'src/main/web/leak.ts')
    expect(messages).toEqual([expect.stringContaining('src/main/web may not import from src/main/electron')])
  })
})
