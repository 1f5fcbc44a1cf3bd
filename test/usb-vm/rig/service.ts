/**
 * The account service inside the guest, as a development service on loopback (it trusts the development keys the
 * rig's gadgets carry), with SQLite in a fresh folder: out/usb-vm/service.mjs, the service bundled into one file
 * by bundle-service.mjs on the host (`npm run test:usb` does it before booting the guest). Its output is kept, so
 * a service that does not come up, or fails a request, says why in the test's error.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sleep } from './wait'

export interface RigService {
  readonly base: string
  /** Everything the service printed so far (its last 16 kB). */
  output(): string
  stop(): Promise<void>
}

const ENTRY = 'out/usb-vm/service.mjs'
const KEEP = 16_384

export async function startRigService(port: number, startTimeoutMs: number): Promise<RigService> {
  if (!existsSync(ENTRY))
    throw new Error(`${ENTRY} is missing: run \`node test/usb-vm/bundle-service.mjs\` on the host first`)
  const dataDir = mkdtempSync(join(tmpdir(), 'rig-service-'))
  let out = ''
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-KEEP)
  }
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      // scrypt at its test cost: the production cost takes seconds per password under TCG.
      DIALTONE_PASSWORD_COST: 'test',
      DIALTONE_MODE: 'development',
      DIALTONE_LOG_LEVEL: 'warn',
      DIALTONE_SERVICE_PORT: String(port),
      DIALTONE_SERVICE_DATA_DIR: dataDir,
      DIALTONE_DATA_DIR: dataDir
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited: string | null = null
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = signal ?? String(code)
      resolve()
    })
  )
  const base = `http://127.0.0.1:${port}`
  const started = Date.now()
  for (;;) {
    if (exited !== null)
      throw new Error(
        `the development service exited (${String(exited)}) while starting; it printed:\n${out}`
      )
    if (Date.now() - started > startTimeoutMs) {
      child.kill('SIGKILL')
      throw new Error(
        `the development service did not start within ${startTimeoutMs} ms; it printed:\n${out}`
      )
    }
    const health = await fetch(`${base}/v1/health`).catch(() => null)
    if (health?.ok) break
    await sleep(250)
  }
  process.stdout.write(`rig: the development service answered after ${Date.now() - started} ms\n`)
  return {
    base,
    output: () => out,
    stop: async () => {
      if (exited === null) child.kill('SIGTERM')
      await Promise.race([gone, sleep(5000)])
      if (exited === null) child.kill('SIGKILL')
    }
  }
}
