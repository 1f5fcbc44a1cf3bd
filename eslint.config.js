// ESLint: typescript-eslint's recommended rules (and the typed no-floating-promises), React hooks, and the layer
// rules from ARCHITECTURE.md as an allow-list per layer, checked on resolved import paths (eslint-rules/layers.js):
//   src/shared        pure: src/shared only, a few npm packages, no Node built-ins
//   src/main          plain Node: src/main and src/shared (never main/electron, main/web, the renderer, the service)
//   src/main/electron main plus electron; src/main/web main plus its web server; src/preload electron and shared
//   src/renderer      the browser: src/renderer and src/shared, React and i18next, no Node built-ins
//   src/server        the service: src/server and src/shared
// Nothing in src imports test/. test/unit/lint/boundaries.test.ts proves each rule fires on a deliberate import.
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'
import layersRule from './eslint-rules/layers.js'

const electronOnly = { electron: 'Only src/main/electron and src/preload may import electron.' }
// Data files of the project that Node-side layers read at build time (the version, catalogs, tone plans, keys).
const projectData = ['package.json', 'resources']
const LAYERS = [
  {
    layer: 'src/shared',
    allow: ['src/shared'],
    packages: ['zod', 'semver', '@sindresorhus/transliterate', 'luxon', 'libphonenumber-js'],
    builtins: false,
    messages: { builtins: 'src/shared is pure: no Node built-ins.', packages: electronOnly }
  },
  {
    layer: 'src/main',
    allow: ['src/main', 'src/shared', ...projectData],
    packages: '*',
    deny: ['electron'],
    builtins: true,
    messages: { packages: electronOnly }
  },
  {
    layer: 'src/main/electron',
    allow: ['src/main/electron', 'src/main', 'src/shared', ...projectData],
    packages: '*',
    deny: [],
    builtins: true
  },
  {
    layer: 'src/main/web',
    allow: ['src/main/web', 'src/main', 'src/shared', ...projectData],
    packages: '*',
    deny: ['electron'],
    builtins: true,
    messages: { packages: electronOnly }
  },
  { layer: 'src/preload', allow: ['src/preload', 'src/shared'], packages: ['electron'], builtins: false },
  {
    layer: 'src/renderer',
    allow: ['src/renderer', 'src/shared'],
    packages: ['react', 'react-dom', 'react-i18next', 'i18next'],
    builtins: false,
    messages: { builtins: 'The renderer runs in a browser: no Node built-ins.', packages: electronOnly }
  },
  {
    layer: 'src/server',
    allow: ['src/server', 'src/shared', ...projectData],
    packages: '*',
    deny: ['electron'],
    builtins: true,
    messages: { packages: electronOnly }
  }
]

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
    files: ['src/**/*.{ts,tsx}'],
    plugins: { local: { rules: { layers: layersRule } } },
    rules: { 'local/layers': ['error', { root: import.meta.dirname, layers: LAYERS }] }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules
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
