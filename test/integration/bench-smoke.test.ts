/**
 * The benchmarks built on the service's own flows (account service, billing, held line-changes polls), each run as
 * `npm run bench` runs it but at a handful of requests (test/bench/bench-run.ts), and its report section rendered
 * from what it wrote. CI cannot afford the benchmarks' full runs; without this, a change to a flow a benchmark
 * walks broke `npm run bench` unseen (its trials went unattested once activation was bound to the dongle). The
 * figures of a smoke run mean nothing and are not looked at; that every step ran and the report reads is.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const out = mkdtempSync(join(tmpdir(), 'dialtone-bench-smoke-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** Runs test/bench/<name>.bench.ts as a smoke run; its exit code, its stderr's tail and the JSON it wrote. */
async function smoke(name: string, nodeFlags: string[] = []) {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', `test/bench/${name}.bench.ts`], {
    env: { ...process.env, DIALTONE_BENCH_SMOKE: '1', DIALTONE_BENCH_OUT: out },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const code = await new Promise<number | null>((r) => child.on('close', r))
  expect(code, stderr).toBe(0)
  return JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as Record<string, unknown>
}

/** The report section scripts/bench.mjs prints for it: a heading, a table, and no hole in it. */
async function section(name: string, result: unknown): Promise<string> {
  const url = pathToFileURL(resolve(`scripts/bench/${name}.mjs`)).href
  const mod = (await import(url)) as { section: (v: unknown) => string[] }
  const text = mod.section(result).join('\n')
  expect(text).toMatch(/^## /)
  expect(text).toContain('|---|')
  expect(text).not.toMatch(/undefined|NaN|\[object Object\]/)
  return text
}

describe('the benchmarks on the service’s flows, as smoke runs', () => {
  it('account service: trials attested and activated, sign-ins, next to the bare route', async () => {
    const r = await smoke('service')
    expect(r.trialActivation).toMatchObject({ requests: 4 })
    expect(r.signIn).toMatchObject({ requests: 4 })
    await section('service', r)
  }, 60_000)

  it('billing on both databases (PostgreSQL unflushed and durable): renewals, redemptions, the in-process renewal counted', async () => {
    const r = await smoke('billing')
    for (const db of ['sqlite', 'postgres', 'postgresDurable']) {
      const b = r[db] as {
        renewals: { requests: number }
        renewalsInProcess: { statements: number }
        cpuMicrosecondsPer: { roundTrip: { service: number; database: number } }
        renewalCpuBeyondRoundTrips: number
      }
      expect(b.renewals.requests).toBe(8)
      expect(b.renewalsInProcess.statements).toBeGreaterThan(0)
      // A round trip's own cost measured beside them, so the report can split a renewal's CPU.
      expect(b.cpuMicrosecondsPer.roundTrip.service).toBeGreaterThan(0)
      expect(Number.isFinite(b.renewalCpuBeyondRoundTrips)).toBe(true)
    }
    // Each PostgreSQL half on the cluster it says: the goal's flushing nothing, the context's flushing every commit.
    const durability = (k: string) => (r[k] as { durability: Record<string, string> }).durability
    expect(durability('postgres')).toEqual({ fsync: 'off', synchronousCommit: 'off', fullPageWrites: 'off' })
    expect(durability('postgresDurable')).toEqual({
      fsync: 'on',
      synchronousCommit: 'on',
      fullPageWrites: 'on'
    })
    await section('billing', r)
  }, 90_000)

  // The benchmarks that drive the app in Chromium (relay-delay) open it from plain Node, not from vitest: a
  // helper that asked vitest for the shared browser broke the whole `npm run bench` there, unseen by CI.
  it('a benchmark opens its Chromium from plain Node, outside vitest', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')))
    const script = [
      "import { launchBrowser } from './test/support/browser.ts'",
      'const browser = await launchBrowser()',
      "process.stdout.write(browser.version() ? 'opened' : 'no version')",
      'await browser.close()'
    ].join('\n')
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | null>((r) => child.on('close', r))
    expect({ code, out }).toEqual({ code: 0, out: 'opened' })
  }, 60_000)

  it('held line-changes polls: held, then all answered after a change', async () => {
    const r = await smoke('held-polls', ['--expose-gc'])
    expect(r.held).toBe(32)
    expect(Number.isFinite(r.labelToPollsAnsweredMs)).toBe(true)
    await section('held-polls', r)
  }, 60_000)
})
