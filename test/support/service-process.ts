/**
 * The real service as its own process (the bundled src/server/main.ts), for the crash tests: started on a database
 * and port of the test's, optionally with DIALTONE_FAULT naming the point where it kills itself (SIGKILL, from
 * inside: src/server/context.ts), and an `api` that speaks to it over HTTP. `trialLineOn` makes a subscriber with
 * a line there, its dongle registered in that database and attested over HTTP as the app does.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { inject } from 'vitest'
import { systemClock } from '../../src/server/clock'
import { loadConfig } from '../../src/server/config'
import { createContext } from '../../src/server/context'
import { openDatabase } from '../../src/server/db/database'
import { bundleOnce } from './bundle'
import { createDatabase } from './postgres'
import type { Backend } from './service'
import { BINDING_ROUTES, DongleFactory } from './dongles'
import type { TestService } from './service'
import { type TrialLine, trialLine } from './service-flows'

const ROOT = resolve(import.meta.dirname, '../..')

export interface Running {
  readonly proc: ChildProcess
  /** The signal or exit code it ended with. */
  readonly exited: Promise<NodeJS.Signals | number | null>
  readonly svc: TestService
}

/**
 * A data directory and a database of its own for one crash test (SQLite in the directory, or a fresh PostgreSQL
 * database), and the environment both processes of the test start with: a dead request's lease on its key runs
 * out after a second, so the retry after the restart may take it over.
 */
export async function crashSite(backend: Backend, name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `dialtone-${name}-`))
  const databaseUrl =
    backend === 'sqlite'
      ? `sqlite:${join(dataDir, 'service.db')}`
      : await createDatabase(
          inject('postgresUrl'),
          `dt_${name.replace(/\W/g, '_')}_${process.pid}_${Date.now()}`
        )
  const env = {
    DIALTONE_SERVICE_DATA_DIR: dataDir,
    DIALTONE_DATABASE_URL: databaseUrl,
    DIALTONE_IDEMPOTENCY_LEASE_MS: '1000'
  }
  return { dataDir, databaseUrl, env }
}

export async function startProcess(env: Record<string, string>, port: number): Promise<Running> {
  const proc = spawn(process.execPath, [await bundleOnce('src/server/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      DIALTONE_SERVICE_PORT: String(port),
      DIALTONE_PASSWORD_COST: 'test',
      DIALTONE_LOG_LEVEL: 'warn'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<NodeJS.Signals | number | null>((r) =>
    proc.once('exit', (code, signal) => r(signal ?? code))
  )
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the service exited: ${output}`)
    try {
      if ((await fetch(`${base}/v1/health`)).ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the service did not start: ${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const api: TestService['api'] = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {})
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers }
  }
  return { proc, exited, svc: { api } as TestService }
}

/** A trial line on the running process: its dongle made and registered in `databaseUrl`, attested over HTTP. */
export async function trialLineOn(
  running: Running,
  databaseUrl: string,
  dataDir: string
): Promise<TrialLine> {
  const registry = openDatabase(databaseUrl)
  try {
    const ctx = createContext({
      db: registry.db,
      dialect: registry.dialect,
      clock: systemClock,
      config: loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dataDir)
    })
    const dongles = new DongleFactory(() => ctx, running.svc.api)
    const attesting = {
      api: async (method: string, path: string, body?: unknown, token?: string) =>
        running.svc.api(
          method,
          path,
          BINDING_ROUTES.has(`${method} ${path}`) ? await dongles.autoAttest(body) : body,
          token
        )
    } as TestService
    return await trialLine(attesting)
  } finally {
    await registry.close()
  }
}
