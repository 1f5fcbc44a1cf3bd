/**
 * `dialtone-ops`, the operators' command line over the ops API (/ops/v1; docs/ops.md). Human tables by default,
 * --json for scripts; exit codes say what happened (0 done, 2 usage, 3 refused input, 4 not signed in, 5 not
 * allowed, 6 not found, 7 service unreachable, 8 rate limited, 1 anything else). The service URL comes from --url
 * or DIALTONE_OPS_URL; the credential from the session `login` saved, or a partner's API key file.
 *
 * `run` takes the process's parts (its streams and working folder) as one argument: main.ts hands it the real
 * process; the ops tests hand it their own streams and run most commands in the test's process (a new Node process
 * per command was 130 ms of CPU each, 829 of them in the suite), while test/support/ops.ts still starts the
 * bundled CLI as a process for what only a process shows (a terminal, exit codes from the shell, the bundle).
 */
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { ServiceError } from '../../http/errors'
import { UsageError, parseArgs } from './args'
import { EXIT, OpsClient, OpsError } from './client'
import type { Command, CommandIo, SecretOptions } from './command'
import { COMMANDS } from './commands'
import { loadSession, readApiKey } from './credentials'
import { invocation } from './invocation'
import { terminalJson, terminalText } from './table'
import { enrolCommand } from './enrol-token'

/** What `run` needs of the process it runs in. */
export interface CliProcess {
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean }
  cwd(): string
}

const GLOBAL = ['url', 'api-key-file', 'database-url']
const SWITCHES = new Set(['json', 'help', 'password-stdin'])

function usage(): string {
  const lines = COMMANDS.map((c) => {
    const args = c.args.map((a) => `<${a}>`).join(' ')
    const req = c.required.map((f) => `--${f} …`).join(' ')
    return `  ${[c.name, args, req].filter(Boolean).join(' ')}\n      ${c.help}`
  })
  return (
    'dialtone-ops — the Dialtone operators’ command line\n\n' +
    'Usage: dialtone-ops <command> [flags] [--json] [--url URL] [--api-key-file FILE]\n\nCommands:\n' +
    lines.join('\n') +
    '\n  bootstrap --email … --name … [--database-url URL]\n      the first admin, against the database (once)\n' +
    '\nEnvironment: DIALTONE_OPS_URL, DIALTONE_OPS_HOME (session file), DIALTONE_OPS_API_KEY_FILE,\n' +
    'DIALTONE_OPS_PASSWORD, DIALTONE_OPS_CODE. Exit codes: 0 ok, 1 failed, 2 usage, 3 refused, 4 sign in,\n' +
    '5 not allowed, 6 not found, 7 unreachable, 8 rate limited.\n'
  )
}

function find(words: readonly string[]): { command: Command; rest: string[] } | null {
  for (const n of [2, 1]) {
    const name = words.slice(0, n).join(' ')
    const command = COMMANDS.find((c) => c.name === name)
    if (command) return { command, rest: words.slice(n) }
  }
  return null
}

/** "Choose a password: " -> "password"; "Authenticator code: " -> "authenticator code". */
function secretName(prompt: string): string {
  return prompt
    .replace(/:\s*$/, '')
    .replace(/^choose an? /i, '')
    .toLowerCase()
}

async function readSecret(
  proc: CliProcess,
  prompt: string,
  envName: string,
  env: NodeJS.ProcessEnv,
  fromStdin: boolean,
  opts: SecretOptions
): Promise<string> {
  const envValue = env[envName]
  if (envValue !== undefined && envValue !== '') return envValue
  const name = secretName(prompt)
  const tty = Boolean(proc.stdin.isTTY)
  if (!fromStdin && !tty)
    throw new UsageError(
      `no ${name} given and no terminal to ask on: set ${envName} or use ${opts.alternative ?? '--password-stdin'}`
    )
  // One reader for both lines: a second interface would lose what the first had already buffered.
  const rl = createInterface({ input: proc.stdin, output: proc.stderr, terminal: tty })
  const lines: string[] = []
  const waiting: ((line: string | null) => void)[] = []
  rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l)))
  rl.once('close', () => waiting.splice(0).forEach((w) => w(null)))
  const ask = (text: string): Promise<string | null> => {
    if (tty) proc.stderr.write(text)
    const ready = lines.shift()
    return ready !== undefined ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve))
  }
  // Keep the typed secret off the screen: readline writes nothing back while muted.
  if (tty) (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined
  try {
    const answer = (await ask(prompt)) ?? ''
    if (tty) proc.stderr.write('\n')
    if (answer === '') throw new UsageError(`no ${name} given`)
    // Only a person at a terminal can mistype unseen; piped input is what the script meant.
    if (opts.confirm && tty) {
      const again = await ask(`Type the ${name} again: `)
      proc.stderr.write('\n')
      if (again !== answer) throw new UsageError(`the two ${name}s differ; nothing was changed, run it again`)
    }
    return answer
  } finally {
    rl.close()
  }
}

export async function run(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  proc: CliProcess
): Promise<number> {
  let json = false
  const self = invocation(env)
  // Under `npm run ops --` the process runs in the checkout; npm says where the command was typed in INIT_CWD.
  const typedIn = self !== 'dialtone-ops' && env.INIT_CWD ? env.INIT_CWD : proc.cwd()
  const file = (path: string): string => resolve(typedIn, path)
  try {
    const parsed = parseArgs(argv, SWITCHES)
    json = parsed.switches.has('json')
    if (parsed.switches.has('help') || parsed.words.length === 0) {
      proc.stdout.write(usage())
      return parsed.words.length === 0 && !parsed.switches.has('help') ? EXIT.usage : EXIT.ok
    }
    if (parsed.words[0] === 'bootstrap') {
      for (const k of parsed.flags.keys())
        if (!['email', 'name', 'database-url'].includes(k))
          throw new UsageError(`bootstrap does not take --${k}`)
      const email = parsed.flags.get('email')
      const name = parsed.flags.get('name')
      if (!email || !name) throw new UsageError('bootstrap needs --email and --name')
      // Loaded only here: bootstrap opens the database (Kysely, both drivers, the migrations), which every other
      // command, talking to the ops API, does without; a static import cost each run ~150 ms of start-up.
      const { bootstrap } = await import('./bootstrap')
      const out = await bootstrap(env, { email, name, databaseUrl: parsed.flags.get('database-url') })
      proc.stdout.write(
        json
          ? JSON.stringify(out, null, 2) + '\n'
          : `First admin ${out.email} (${out.operatorId}) created.\nEnrolment token (shown once, valid until ${out.enrolmentExpiresAt}):\n  ${out.enrolmentToken}\nNext: ${enrolCommand(self)}, then enrol-confirm.\n`
      )
      return EXIT.ok
    }
    const found = find(parsed.words)
    if (!found)
      throw new UsageError(`unknown command "${parsed.words.join(' ')}" (${self} --help lists them)`)
    const { command, rest } = found
    if (rest.length > command.args.length)
      throw new UsageError(`${command.name} takes ${command.args.length} argument(s)`)
    const allowed = new Set([...command.required, ...command.optional, ...GLOBAL])
    for (const k of parsed.flags.keys())
      if (!allowed.has(k)) throw new UsageError(`${command.name} does not take --${k}`)
    const session = loadSession(env)
    const url = parsed.flags.get('url') ?? env.DIALTONE_OPS_URL ?? session?.url ?? 'http://127.0.0.1:4780'
    const keyPath = parsed.flags.get('api-key-file') ?? env.DIALTONE_OPS_API_KEY_FILE
    const keyFile = keyPath === undefined ? undefined : file(keyPath)
    const io: CommandIo = {
      words: rest,
      flags: parsed.flags,
      env,
      client: () => {
        if (keyFile) return new OpsClient(url, readApiKey(keyFile))
        if (!session) throw new OpsError(`not signed in: run ${self} login`, EXIT.unauthenticated, 'session')
        // The session goes only to the service that issued it: another --url (or DIALTONE_OPS_URL) would hand an
        // operator's token to whatever answers there.
        if (!sameService(session.url, url))
          throw new OpsError(
            `signed in to ${session.url}, not ${url}: run ${self} login --url ${url}`,
            EXIT.unauthenticated,
            'session'
          )
        return new OpsClient(url, session.token)
      },
      anonymous: () => new OpsClient(url, null),
      secret: (prompt, envName, opts = {}) =>
        readSecret(proc, prompt, envName, env, parsed.switches.has('password-stdin'), opts),
      file,
      self
    }
    const out = await command.run(io)
    proc.stdout.write(json ? terminalJson(out.json, 2) + '\n' : terminalText(out.human))
    return EXIT.ok
  } catch (err) {
    return report(proc, err, json)
  }
}

function report(proc: CliProcess, err: unknown, json: boolean): number {
  if (err instanceof UsageError) {
    proc.stderr.write(terminalText(`dialtone-ops: ${err.message}\n`))
    return EXIT.usage
  }
  if (err instanceof OpsError || err instanceof ServiceError) {
    const issues = err instanceof OpsError ? err.issues : err.issues
    const exit = err instanceof OpsError ? err.exitCode : err.code === 'conflict' ? EXIT.refused : EXIT.failed
    if (json)
      proc.stderr.write(terminalJson({ error: { reason: err.reason, message: err.message, issues } }) + '\n')
    else {
      proc.stderr.write(terminalText(`dialtone-ops: ${err.message}\n`))
      // Each issue once: a service message that is the issue itself (one field wrong) is not repeated under it.
      for (const i of issues) {
        const line = `${where(i.path)}: ${i.message}`
        if (!err.message.includes(line)) proc.stderr.write(terminalText(`  ${line}\n`))
      }
    }
    return exit
  }
  proc.stderr.write(terminalText(`dialtone-ops: ${err instanceof Error ? err.message : String(err)}\n`))
  return EXIT.failed
}

/** csv:7.serial -> "line 7, serial"; other paths as they are. */
function where(path: string): string {
  const m = /^csv:(\d+)(?:\.(.+))?$/.exec(path)
  return m ? `line ${m[1]}${m[2] ? `, ${m[2]}` : ''}` : path || '(request)'
}

/** Whether two service addresses are the same service (scheme, host, port and path; a trailing slash aside). */
function sameService(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const x = new URL(u)
      return `${x.protocol}//${x.host}${x.pathname.replace(/\/+$/, '')}`
    } catch {
      return null
    }
  }
  const na = norm(a)
  return na !== null && na === norm(b)
}
