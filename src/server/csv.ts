/**
 * The service's one CSV writer (RFC 4180: CRLF lines, a cell quoted when it holds a comma, quote or line break),
 * for every file it hands out: the audit log export, the ops reports, the subscriber's statement and itemised
 * calls. Cells are often chosen by an attacker (an account's name, an email, a line's label), and a spreadsheet
 * runs a cell that starts with = + - @ (or a tab or carriage return) as a formula: such a cell gets a leading
 * apostrophe (OWASP's advice), which spreadsheets show as text. A cell that is a plain number ("-12.50",
 * "+12125550100") is left as it is: it cannot carry a formula, and a report's figures must stay numbers.
 */

const FORMULA_START = /^[=+\-@\t\r]/
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/

/** One cell: strings as given, null/undefined empty, anything else as JSON; neutralised and quoted as needed. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A whole file: the header row, then the rows; every line ends with CRLF. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
