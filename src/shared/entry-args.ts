/**
 * The command line of the programs a person starts by hand (out/main/server.js, web.js, updates.js,
 * scripts/sign-update.ts): `--help` prints the usage and exits 0; an unknown or malformed flag is said in one line
 * with the usage and exits 2, before anything is opened, made or listened on. Without this, node:util's parseArgs
 * threw a stack trace at `--help`, and the service, which took no flags, ignored them and started on its defaults.
 * Pure: the entry passes its own parse (node:util's parseArgs) and its own process to write to and end.
 */

export type EntryArgs<T> =
  | { readonly ok: true; readonly values: T }
  | { readonly ok: false; readonly exitCode: 0 | 2; readonly text: string }

export function entryArgs<T extends { help?: boolean | undefined }>(
  parse: () => { values: T },
  usage: string
): EntryArgs<T> {
  let values: T
  try {
    values = parse().values
  } catch (err) {
    const said = err instanceof Error ? err.message.split('\n')[0] : String(err)
    return { ok: false, exitCode: 2, text: `${said}\n${usage}\n` }
  }
  if (values.help === true) return { ok: false, exitCode: 0, text: `${usage}\n` }
  return { ok: true, values }
}

/** What valuesOrExit needs of the entry's process. */
export interface EntryProcess {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  exit(code: number): never
}

/** The values; or the usage (or the fault and the usage) written and `proc` ended with its exit code. */
export function valuesOrExit<T>(args: EntryArgs<T>, proc: EntryProcess): T {
  if (args.ok) return args.values
  ;(args.exitCode === 0 ? proc.stdout : proc.stderr).write(args.text)
  return proc.exit(args.exitCode)
}
