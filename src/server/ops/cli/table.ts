/** Human output: rows as an aligned text table (the CLI's default; --json prints the service's answer instead). */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)\n'
  const cell = (v: unknown): string =>
    v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  const cells = rows.map((r) => columns.map((c) => cell(r[c]).replace(/[\r\n]+/g, ' ')))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)))
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n') + '\n'
}

/** key: value lines for one record. */
export function record(r: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(r).map((k) => k.length))
  return (
    Object.entries(r)
      .map(
        ([k, v]) =>
          `${k.padEnd(width)}  ${v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`
      )
      .join('\n') + '\n'
  )
}

/**
 * What the CLI writes to the operator's terminal: the service's answers carry strings from outside (a name, the
 * header of an unsigned webhook sender, which HTTP lets hold bytes 0x80-0xFF), and a control character among them
 * (C1's CSI U+009B or OSC U+009D, a bidi override) would be a command to the terminal. Human text gets each as
 * \u{..} (line breaks, CRLF and tabs stay); JSON gets it as a \uXXXX escape inside its string (JSON.stringify
 * escapes only C0), so it still parses to the same value.
 */
const OUTSIDE_CONTROL = /\r\n|[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

export const terminalText = (s: string): string =>
  s.replace(OUTSIDE_CONTROL, (c) =>
    c === '\r\n' || c === '\n' || c === '\t' ? c : `\\u{${c.codePointAt(0)?.toString(16) ?? ''}}`
  )

export const terminalJson = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent).replace(OUTSIDE_CONTROL, (c) =>
    c.length > 1 || c === '\n' ? c : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`
  )
