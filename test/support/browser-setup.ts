/**
 * vitest global setup of the media suite's journeys project: one Chromium for the whole project, each file
 * connecting to it (launchBrowser in browser.ts) instead of starting its own. A start and stop of Chromium costs
 * about 2.4 s of CPU (five in a row: 12.3 s busy, `node launch.mjs` under the loopback namespace, 2026-12-05), and
 * the journeys started 37, all with the same flags; every page still gets a context of its own (no cookies,
 * storage or cache shared between journeys). Files that start Chromium with flags of their own (a tone to play)
 * still launch their own.
 */
import { type BrowserServer, chromium } from 'playwright-core'
import type { TestProject } from 'vitest/node'
import { CHROMIUM, CHROMIUM_ARGS } from './chromium'

let server: BrowserServer | undefined

export async function setup(project: TestProject): Promise<void> {
  server = await chromium.launchServer({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] })
  project.provide('chromiumEndpoint', server.wsEndpoint())
}

export async function teardown(): Promise<void> {
  await server?.close()
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The journeys' shared Chromium (browser-setup.ts); absent in the projects that start their own. */
    chromiumEndpoint?: string
  }
}
