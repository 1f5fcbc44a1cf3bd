/**
 * Helpers for the ops tests (issue 20): `dialtone-ops` against a started test service (its session file in a
 * private temporary home), and operators made, enrolled and signed in over the ops API with TOTP codes computed
 * from the service's ManualClock (each sign-in steps the clock to a fresh 30-second step, since a code works once).
 *
 * The CLI runs in the test's own process by default: its `run` (src/server/ops/cli/cli.ts) with streams of the
 * test's, no terminal and an empty, closed stdin, as the spawned process had. A new Node process per command cost
 * about 130 ms of CPU, and the suite runs over 800 of them. `new OpsCli(svc, { process: true })` starts the
 * bundled CLI (out/main/ops.js as electron-vite builds it) as a real process instead: ops-cli.test.ts walks the
 * sign-in, the session file and the exit codes that way, and `onTerminal` always does (a pseudo-terminal).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import type { Role } from '../../src/shared/ops/permissions'
import { bootstrapAdmin } from '../../src/server/ops/operators'
import { totpCode } from '../../src/server/ops/totp'
import { bundleOnce } from './bundle'
import type { TestService } from './service'

/** The CLI as electron-vite builds out/main/ops.js: bundled once per test process (bundle.ts). */
const cliBundle = (): Promise<string> => bundleOnce('src/server/ops/cli/main.ts')

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export class OpsCli {
  readonly home = mkdtempSync(join(tmpdir(), 'dialtone-ops-'))
  constructor(
    private readonly svc: TestService,
    private readonly how: { readonly process?: boolean } = {}
  ) {}

  async run(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
    if (this.how.process) return this.exec(process.execPath, [await cliBundle(), ...args], env)
    const { run } = await import('../../src/server/ops/cli/cli')
    const [stdout, stderr] = [collected(), collected()]
    const code = await run(args, this.env(env), {
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin: Readable.from([]),
      cwd: () => process.cwd()
    })
    return { code, stdout: stdout.text(), stderr: stderr.text() }
  }

  /** What the CLI's process is given: this operator's home and the service's address, nothing of the test's. */
  private env(env: Record<string, string>): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: this.home,
      DIALTONE_OPS_HOME: this.home,
      DIALTONE_OPS_URL: this.svc.base,
      ...env
    }
  }

  /**
   * The CLI on a terminal (a pseudo-terminal by util-linux `script`, as a person at a shell has): `typed` are the
   * lines the person types, sent at once (the terminal keeps them until the CLI reads). Output is the terminal's,
   * stdout and stderr together.
   */
  async onTerminal(
    args: readonly string[],
    typed: readonly string[],
    env: Record<string, string> = {}
  ): Promise<CliRun> {
    const quote = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`
    const command = [process.execPath, await cliBundle(), ...args].map(quote).join(' ')
    return this.exec('script', ['-qec', command, '/dev/null'], env, typed.map((l) => `${l}\n`).join(''))
  }

  /** Runs `file` as a process with this.env(env); `stdin` is written and closed. */
  private exec(
    file: string,
    args: readonly string[],
    env: Record<string, string>,
    stdin = ''
  ): Promise<CliRun> {
    return new Promise((done) => {
      const child = execFile(file, args, { env: this.env(env), timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        done({ code, stdout, stderr })
      })
      // A command that exits before reading its input (a refusal of bad flags) closes the pipe first: writing to
      // it then fails with EPIPE, which is the command's business (its exit code says it), not the test's.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(stdin)
    })
  }

  async json<T>(args: readonly string[], env: Record<string, string> = {}): Promise<T> {
    const r = await this.run([...args, '--json'], env)
    if (r.code !== 0) throw new Error(`dialtone-ops ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
    return JSON.parse(r.stdout) as T
  }
}

/**
 * A stream that keeps what is written to it, as text: kept as each write is made (a PassThrough read by a 'data'
 * listener hands over what was written before it flows a tick later, after `run` may have returned).
 */
function collected(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk))
      done()
    }
  })
  return { stream, text: () => Buffer.concat(chunks).toString() }
}

/** The authenticator's code for a step no sign-in used yet (steps the clock 30 s). */
export function freshCode(svc: TestService, secret: string): string {
  svc.clock.advance(30_000)
  return totpCode(secret, svc.clock.now())
}

export const secretOf = (otpauthUri: string): string => {
  const s = new URL(otpauthUri).searchParams.get('secret')
  if (!s) throw new Error('no secret in the otpauth URI')
  return s
}

export interface Operator {
  readonly email: string
  readonly password: string
  readonly secret: string
  readonly recoveryCodes: string[]
  readonly token: string
  readonly id: string
}

let counter = 0

/** Enrols an operator from its enrolment token and signs it in, over HTTP. */
export async function enrolAndSignIn(
  svc: TestService,
  email: string,
  enrolmentToken: string
): Promise<Omit<Operator, 'id'>> {
  const password = `ops-pass-${Math.random().toString(36).slice(2)}-long`
  const e = await svc.api<{ otpauthUri: string; recoveryCodes: string[] }>('POST', '/ops/v1/auth/enrol', {
    token: enrolmentToken,
    password
  })
  if (e.status !== 200) throw new Error(`enrol: ${e.status} ${JSON.stringify(e.body)}`)
  const secret = secretOf(e.body.otpauthUri)
  const c = await svc.api('POST', '/ops/v1/auth/enrol/confirm', {
    token: enrolmentToken,
    code: totpCode(secret, svc.clock.now())
  })
  if (c.status !== 200) throw new Error(`confirm: ${c.status} ${JSON.stringify(c.body)}`)
  const l = await svc.api<{ token: string }>('POST', '/ops/v1/auth/login', {
    email,
    password,
    code: freshCode(svc, secret)
  })
  if (l.status !== 200) throw new Error(`login: ${l.status} ${JSON.stringify(l.body)}`)
  return { email, password, secret, recoveryCodes: e.body.recoveryCodes, token: l.body.token }
}

/** The first admin of a fresh service: bootstrapped (as `dialtone-ops bootstrap` does), enrolled and signed in. */
export async function firstAdmin(
  svc: TestService,
  email = 'admin@ops.dialtone.test',
  name = 'Admin'
): Promise<Omit<Operator, 'id'>> {
  const boot = await bootstrapAdmin(svc.service.ctx, { email, name })
  return enrolAndSignIn(svc, email, boot.enrolmentToken)
}

/**
 * `dialtone-ops login` as an operator in a CLI home of its own (the password from the environment, as a person
 * would give it, and a fresh TOTP code): the CLI the tests then run as that operator.
 */
export async function signedInCli(
  svc: TestService,
  op: { readonly email: string; readonly password: string; readonly secret: string }
): Promise<OpsCli> {
  const cli = new OpsCli(svc)
  const r = await cli.run(['login', '--email', op.email, '--code', freshCode(svc, op.secret)], {
    DIALTONE_OPS_PASSWORD: op.password
  })
  if (r.code !== 0) throw new Error(`dialtone-ops login as ${op.email} exited ${r.code}: ${r.stderr}`)
  return cli
}

/** An operator of `role` made by the admin behind `adminToken`, enrolled and signed in. */
export async function makeOperator(
  svc: TestService,
  adminToken: string,
  role: Role,
  partnerId?: string
): Promise<Operator> {
  const email = `${role}-${counter++}-${Date.now()}@ops.dialtone.test`
  const made = await svc.api<{ operator: { id: string }; enrolmentToken: string }>(
    'POST',
    '/ops/v1/operators',
    { email, name: `Test ${role}`, role, ...(partnerId ? { partnerId } : {}) },
    adminToken
  )
  if (made.status !== 201) throw new Error(`create operator: ${made.status} ${JSON.stringify(made.body)}`)
  return { ...(await enrolAndSignIn(svc, email, made.body.enrolmentToken)), id: made.body.operator.id }
}

/** The ops audit log's events of one action, oldest first. */
export const auditEvents = (svc: TestService, action: string) =>
  svc.service.ctx.db.selectFrom('ops_audit').selectAll().where('action', '=', action).orderBy('at').execute()

/** A CSV of `n` dongles (valid shape: model, serial, a 32-byte public key). */
export function registryCsv(prefix: string, n: number): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const key = Buffer.alloc(32, i + 1).toString('base64')
    return `06e6:c200,${prefix}-${String(i).padStart(4, '0')},${key}`
  })
  return ['model,serial,public_key', ...rows].join('\n') + '\n'
}
