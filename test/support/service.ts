/**
 * The real service for integration tests, on SQLite (a temporary file) or PostgreSQL (a fresh database in the
 * run's cluster, copied from the run's migrated template), listening on a free loopback port, with a ManualClock so
 * tests can step past expiries. `api` makes a JSON request and returns status and body; a request that binds a
 * dongle to an account (a trial, an activation, a transfer request) is attested first by the dongle `dongles` made
 * for its serial (made and registered on first use, test/support/dongles.ts), as the app does with a real one.
 * `bare` sends exactly the body given, for the tests of attestation itself.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import { inject } from 'vitest'
import { ManualClock } from '../../src/server/clock'
import { type ServiceConfig, loadConfig } from '../../src/server/config'
import { type RunningService, startService } from '../../src/server/service'
import type { VoicemailConfig } from '../../src/server/voicemail/config'
import { BINDING_ROUTES, DongleFactory } from './dongles'
import { createDatabase } from './postgres'

export type Backend = 'sqlite' | 'postgres'
export const BACKENDS: Backend[] = ['sqlite', 'postgres']

export interface TestService {
  readonly service: RunningService
  readonly clock: ManualClock
  readonly base: string
  readonly dataDir: string
  /** Every line the service logged (tests check that no secret is among them). */
  readonly logged: string[]
  /** The factory of this service's test dongles (keys in its manufacturing registry). */
  readonly dongles: DongleFactory
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>
  ): Promise<{ status: number; body: T; headers: Headers }>
  bare<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>
  ): Promise<{ status: number; body: T; headers: Headers }>
  close(): Promise<void>
}

let dbCounter = 0

export async function startTestService(
  backend: Backend,
  overrides: Partial<ServiceConfig> = {},
  env: NodeJS.ProcessEnv = {},
  options: {
    voicemail?: VoicemailConfig
    /** The request logger (Fastify's); none: requests are not logged, as before. */
    fastifyLogger?: FastifyBaseLogger
  } = {}
): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-svc-'))
  const databaseUrl =
    backend === 'sqlite'
      ? `sqlite:${join(dataDir, 'service.db')}`
      : await createDatabase(
          inject('postgresUrl'),
          `dt_${process.pid}_${Date.now()}_${dbCounter++}`,
          inject('postgresTemplate')
        )
  const config: ServiceConfig = {
    ...loadConfig({ DIALTONE_PASSWORD_COST: 'test', ...env }, dataDir),
    databaseUrl,
    jobs: false,
    ...overrides
  }
  const clock = new ManualClock(new Date())
  const logged: string[] = []
  const log = {
    info: (m: string) => void logged.push(m),
    warn: (m: string) => void logged.push(m),
    error: (m: string) => {
      logged.push(m)
      console.error(m)
    }
  }
  const service = await startService(config, {
    clock,
    log,
    voicemail: options.voicemail ?? null,
    ...(options.fastifyLogger ? { fastifyLogger: options.fastifyLogger } : {})
  })
  await service.app.listen({ host: '127.0.0.1', port: 0 })
  const address = service.app.server.address()
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  async function bare<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers: Record<string, string> = {}
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {})
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      /* not JSON: the raw text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers }
  }
  const dongles = new DongleFactory(() => service.ctx, bare)
  return {
    service,
    clock,
    base,
    dataDir,
    logged,
    dongles,
    bare,
    async api<T>(
      method: string,
      path: string,
      body?: unknown,
      token?: string,
      headers: Record<string, string> = {}
    ) {
      const attested = BINDING_ROUTES.has(`${method} ${path}`) ? await dongles.autoAttest(body) : body
      return bare<T>(method, path, attested, token, headers)
    },
    async close() {
      await service.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
