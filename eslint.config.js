// ESLint: typescript-eslint's recommended rules, React hooks, and the layer rules from ARCHITECTURE.md:
//   src/shared   pure: imports nothing outside src/shared, no Node built-ins, no electron
//   src/main     plain Node: only src/main/electron may import electron; main never imports the renderer
//   src/renderer the browser: no electron, no Node built-ins, never src/main or src/server
//   src/server   the service: never electron, main or the renderer
// test/unit/lint/boundaries.test.ts proves each rule fires on a deliberate forbidden import.
import js from '@eslint/js'
import { builtinModules } from 'node:module'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), 'node:*']
const electron = { name: 'electron', message: 'Only src/main/electron and src/preload may import electron.' }
const electronGlobs = { group: ['electron', 'electron/*'], message: electron.message }
// A relative import that climbs out of its folder and into another layer's top folder.
const outside = (layer, dirs) => ({
  regex: `^(\\.\\./)+(${dirs.join('|')})(/|$)`,
  message: `${layer} may not import from ${dirs.join(', ')} (see ARCHITECTURE.md, Layout).`
})
const restrict = (patterns) => ['error', { patterns }]

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: 'error'
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        electronGlobs,
        { group: nodeBuiltins, message: 'src/shared is pure: no Node built-ins.' },
        outside('src/shared', ['main', 'renderer', 'server', 'preload'])
      ])
    }
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': restrict([
        electronGlobs,
        outside('src/main', ['renderer', 'server', 'preload'])
      ])
    }
  },
  {
    files: ['src/main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        outside('src/main/electron', ['renderer', 'server', 'preload', 'web'])
      ])
    }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([outside('src/preload', ['main', 'renderer', 'server'])]) }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        electronGlobs,
        { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node built-ins.' },
        outside('src/renderer', ['main', 'server', 'preload'])
      ])
    }
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        electronGlobs,
        outside('src/server', ['main', 'renderer', 'preload'])
      ])
    }
  },
  {
    // Typed rules: a promise nobody awaits must be handled on purpose (`void p.catch(log)`), never dropped.
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // A bare `void p` drops the rejection unseen: write `void p.catch(log)` instead.
          ignoreVoid: false,
          // node:test's describe/it (the USB rig's runner) return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test'] }
          ]
        }
      ]
    }
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { 'no-console': 'off' }
  }
)
