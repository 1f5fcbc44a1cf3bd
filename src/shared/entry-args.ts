/**
 * The command line of the programs a person starts by hand (out/main/server.js, web.js, updates.js,
 * scripts/sign-update.ts): `--help` prints the usage and exits 0; an unknown or malformed flag is said in one line
 * with the usage and exits 2, before anything is opened, made or listened on. Without this, node:util's parseArgs
 * threw a stack trace at `--help`, and the service, which took no flags, ignored them and started on its defaults.
 * Pure: the entry passes its own parse (node:util's parseArgs) and writes the text itself.
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
