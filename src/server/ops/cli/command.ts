/**
 * What every `dialtone-ops` command is made of (the Command shape, the I/O it gets) and the flag readers the
 * command files share. Each topic keeps its commands in its own file (commands-<topic>.ts); main.ts reads the
 * list joined in commands.ts.
 */
import { ID_PATTERN } from '../../../shared/api/id-pattern'
import { UsageError } from './args'
import type { OpsClient } from './client'

export interface CommandIo {
  readonly words: readonly string[]
  readonly flags: ReadonlyMap<string, string>
  readonly env: NodeJS.ProcessEnv
  /** The client with the stored session or API key. */
  client(): OpsClient
  /** The client without credentials (login, enrolment). */
  anonymous(): OpsClient
  /**
   * A secret from the env variable, else stdin's first line, else a prompt without echo. `confirm`: a new secret
   * the person chooses, asked twice on a terminal and refused when the two differ. `alternative`: the other way to
   * give it named in the error when there is no terminal to ask on (default: --password-stdin).
   */
  secret(prompt: string, envName: string, opts?: SecretOptions): Promise<string>
  /**
   * A file named on the command line, from the folder the person typed the command in: `npm run ops -- …` runs in
   * the checkout, where `--out pins.csv` put PINs and keys in the working tree and `registry import batch.csv`
   * could not find the person's file.
   */
  file(path: string): string
  /** How the person ran the CLI (`dialtone-ops` or `npm run ops --`), for the commands it prints next. */
  readonly self: string
}

export interface SecretOptions {
  readonly confirm?: boolean
  readonly alternative?: string
}

export interface Output {
  readonly json: unknown
  readonly human: string
}

export interface Command {
  readonly name: string
  readonly args: readonly string[]
  readonly required: readonly string[]
  readonly optional: readonly string[]
  readonly help: string
  run(io: CommandIo): Promise<Output>
}

export const flag = (io: CommandIo, name: string): string => {
  const v = io.flags.get(name)
  if (v === undefined) throw new UsageError(`--${name} is required`)
  return v
}
export const opt = (io: CommandIo, name: string): string | undefined => io.flags.get(name)
/** --out FILE, resolved from the folder the person typed the command in; undefined when not given. */
export function outFile(io: CommandIo): string | undefined {
  const named = opt(io, 'out')
  return named === undefined ? undefined : io.file(named)
}
/** Each kind of id a command takes: how it starts and the command that lists them. */
const ID_KINDS: Readonly<Record<string, { readonly prefix: string; readonly listedBy: string }>> = {
  'account id': { prefix: 'acc_', listedBy: 'accounts find --email E --reason R' },
  'line id': { prefix: 'lin_', listedBy: 'accounts find --email E --reason R' },
  'batch id': { prefix: 'vb_', listedBy: 'vouchers report' },
  'operator id': { prefix: 'opr_', listedBy: 'operators list' },
  'partner id': { prefix: 'ptn_', listedBy: 'partners list' },
  'request id': { prefix: 'sup_', listedBy: 'support list' },
  'document request id': { prefix: 'doc_', listedBy: 'business requests' },
  'shop id': { prefix: 'shp_', listedBy: 'shops list' }
}

/**
 * The i-th word. One named as an id ("line id", "account id", ...) must look like one: a phone number or an email
 * given where an id goes is said plainly here, with how that kind of id starts and the command that lists them,
 * instead of the service's schema message.
 */
export const word = (io: CommandIo, i: number, what: string): string => {
  const w = io.words[i]
  if (w === undefined) throw new UsageError(`name the ${what}`)
  if (what.endsWith(' id') && !ID_PATTERN.test(w)) {
    const kind = ID_KINDS[what]
    throw new UsageError(
      kind
        ? `${JSON.stringify(w)} is not a ${what}: ${what}s look like ${kind.prefix}… (\`${io.self} ${kind.listedBy}\` shows them)`
        : `${JSON.stringify(w)} is not a ${what}`
    )
  }
  return w
}

/** --expires 2027-12-31 (end of that day, UTC) or a full ISO instant. */
export function expiry(v: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T23:59:59.000Z`
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) throw new UsageError('--expires is a date (YYYY-MM-DD) or an ISO instant')
  return d.toISOString()
}

export function positiveInt(v: string, name: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} is a whole number`)
  return Number(v)
}
