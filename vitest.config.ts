/**
 * vitest for the unit and integration suites (Node). One PostgreSQL cluster is started for the whole run
 * (test/support/global-setup.ts) for the service's PostgreSQL tests. `electron` is mocked per test where Electron code is
 * under test; electron-store is inlined so that mock reaches it (it imports electron at load time).
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    server: { deps: { inline: ['electron-store'] } }
  }
})
