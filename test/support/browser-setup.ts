/**
 * vitest global setup of a media suite project that opens pages (the journeys, the audio files): one Chromium for
 * the whole project, each file connecting to it (launchBrowser in browser.ts) instead of starting its own. A start
 * and stop of Chromium costs about 2.4 s of CPU (five in a row: 12.3 s busy, a scratch launch loop under the
 * loopback namespace, 2026-12-05), and the journeys alone started 37, all with the same flags; every page still
 * gets a context of its own (no cookies, storage or cache shared between files). A file that asks for flags of
 * its own (a recording to play as the microphone) still launches its own. Which build the project shares is its
 * config's `provide.chromiumBuild` (chromium.ts says which suite takes which and why): the full browser unless
 * it says the headless shell.
 */
import { existsSync } from 'node:fs'
import { type BrowserServer, chromium } from 'playwright-core'
import type { TestProject } from 'vitest/node'
import { CHROMIUM_ARGS, type ChromiumBuild, chromiumOf } from './chromium'

let server: BrowserServer | undefined

export async function setup(project: TestProject): Promise<void> {
  const executablePath = chromiumOf(project.config.provide?.chromiumBuild ?? 'browser')
  if (!existsSync(executablePath))
    throw new Error(`no Chromium at ${executablePath} (bash scripts/setup.sh installs it)`)
  server = await chromium.launchServer({ executablePath, args: [...CHROMIUM_ARGS] })
  project.provide('chromiumEndpoint', server.wsEndpoint())
}

export async function teardown(): Promise<void> {
  await server?.close()
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The project's shared Chromium (browser-setup.ts); absent in a project without one. */
    chromiumEndpoint?: string
    /** Which build that is; the full browser when a project does not say. */
    chromiumBuild?: ChromiumBuild
  }
}
