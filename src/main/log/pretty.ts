/**
 * Log lines for a person at a terminal: pino's JSON line (already redacted: pino removes secrets before it
 * serialises) turned into `05:22:02 WARN  device  rescan failed  err=USB gone`. Written here rather than with
 * pino-pretty (not a dependency): one short line per entry is all a terminal needs. Not a terminal (a file, a
 * pipe, CI): the JSON lines stay as they are, for tools (createLogger decides, see logFormat).
 */

export type LogFormat = 'pretty' | 'json'

/**
 * DIALTONE_LOG_FORMAT when set (the dev stack sets it for the app whose output it passes to its own terminal),
 * else readable when the output is a terminal.
 */
export function logFormat(env: NodeJS.ProcessEnv, isTerminal: boolean): LogFormat {
  const chosen = env.DIALTONE_LOG_FORMAT
  if (chosen === 'pretty' || chosen === 'json') return chosen
  return isTerminal ? 'pretty' : 'json'
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL'
}
/** Fields every line has, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app', 'area'])

const two = (n: number): string => String(n).padStart(2, '0')
const clock = (ms: number): string => {
  const d = new Date(ms)
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

/** A field's value on one line: an error by its message (its stack indented below), the rest as JSON. */
function field(key: string, value: unknown, below: string[]): string {
  if (value && typeof value === 'object' && 'message' in value && typeof value.message === 'string') {
    if ('stack' in value && typeof value.stack === 'string')
      below.push(
        ...value.stack
          .split('\n')
          .slice(1)
          .map((l) => `    ${l.trim()}`)
      )
    return `${key}=${value.message}`
  }
  return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`
}

/** One JSON line as a person reads it; a line that is not pino's JSON passes unchanged. */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line
  }
  if (!entry || typeof entry !== 'object' || typeof entry.level !== 'number') return line
  const below: string[] = []
  const when = typeof entry.time === 'number' ? `${clock(entry.time)} ` : ''
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5)
  const words = [
    typeof entry.area === 'string' ? entry.area : null,
    typeof entry.msg === 'string' ? entry.msg : null,
    ...Object.entries(entry)
      .filter(([k]) => !HEAD.has(k))
      .map(([k, v]) => field(k, v, below))
  ].filter((p): p is string => p !== null && p !== '')
  return [`${when}${level} ${words.join('  ')}`, ...below].join('\n') + '\n'
}

/** A pino destination writing readable lines to `out`. */
export const prettyDestination = (out: { write(s: string): unknown }): { write(s: string): void } => ({
  write: (s) => void out.write(prettyLine(s.trimEnd()))
})
