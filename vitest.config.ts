/**
 * vitest for the unit and integration suites (Node), as two projects run side by side in one pool.
 * - integration: one PostgreSQL cluster is started for the whole run (test/support/global-setup.ts) for the
 *   service's PostgreSQL tests, and one module registry per worker (`isolate: false`): loading the service, the
 *   app brain and their dependencies again for each file was 296 s of a clean-clone run's import time (the
 *   project alone: 580 s against 368 s, 936 of 936 passed both ways). It asks every file to leave nothing
 *   running: a reconnect timer or a socket a file left fires during a later file as an uncaught error, which
 *   fails the run (a clean-clone run on 2026-12-05 met one: the page's transport reconnecting after close, a
 *   product bug since fixed). test/support/leftovers.ts fails the file that leaves a timer, socket, server or
 *   child process running, so a leftover is found where it is made (its first run found two, each a test's silent
 *   TCP server whose accepted connection nobody read: service-status, voicemail-slot). No integration file mocks a
 *   module or stubs a global.
 * - unit: pure code, no cluster, and one module registry per worker (`isolate: false`): loading the same sources
 *   again for each of 83 files was half of the unit suite's CPU time (52 s of CPU against 26 s, one worker, same
 *   692 results either way). The only module mock in unit tests is the same `electron` mock in every file.
 * `electron` is mocked per test where Electron code is under test; electron-store is inlined so that mock reaches
 * it (it imports electron at load time).
 *
 * One file more at a time than there are cores. vitest's own default is one worker fewer than the cores: on CI's
 * two cores that is ONE, and the 154 files ran one after another (519 s on a clean clone) although much of an
 * integration file's time is spent waiting on Kamailio, PostgreSQL, sipp and the processes it starts, not on the
 * CPU. Two workers still left the two cores a quarter idle; a third fills them (2026-12-06, `npx vitest run` whole on
 * this 2-core machine, busy time from /proc/stat: 2 workers 298 s at 1.51 cores, 3 workers 257 s at 1.81, 4
 * workers 282 s with two files timing out, each worker's own module registry costing more than it gained). Every
 * test's servers listen on free ports of their own (test/support/free-port.ts), and the two files that start a
 * whole stack (start, dev-seeds) give it ports and media ranges of its own, so files side by side share nothing.
 */
import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

const common = {
  environment: 'node' as const,
  testTimeout: 20_000,
  hookTimeout: 30_000,
  server: { deps: { inline: ['electron-store'] } }
}

export default defineConfig({
  test: {
    maxWorkers: availableParallelism() + 1,
    projects: [
      { test: { ...common, name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        test: {
          ...common,
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/leftovers.ts'],
          isolate: false
        }
      }
    ]
  }
})
