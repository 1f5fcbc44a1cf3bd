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
