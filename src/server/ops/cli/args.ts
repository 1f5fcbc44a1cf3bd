/**
 * The CLI's argument reader: positional words, `--flag value`, `--flag=value` and the boolean flags named by the
 * caller. Unknown or missing flags are the command's business (it says which it takes); a flag given twice or a
 * value-taking flag without its value is a usage error here.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface Parsed {
  readonly words: string[]
  readonly flags: Map<string, string>
  readonly switches: Set<string>
}

export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string>): Parsed {
  const words: string[] = []
  const flags = new Map<string, string>()
  const switches = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    if (!a.startsWith('--') || a === '--') {
      words.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq === -1 ? undefined : eq)
    if (booleans.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`)
      switches.add(name)
      continue
    }
    const value = eq === -1 ? argv[++i] : a.slice(eq + 1)
    if (value === undefined || (eq === -1 && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value`)
    if (flags.has(name)) throw new UsageError(`--${name} is given twice`)
    flags.set(name, value)
  }
  return { words, flags, switches }
}
