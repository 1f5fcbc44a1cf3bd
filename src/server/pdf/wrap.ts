/**
 * A table cell's text broken into lines that fit its column, at spaces (a word longer than the column stays
 * whole). Isolates (FSI ... PDI, src/shared/i18n/bidi.ts) a break falls inside are closed at the end of the line
 * and opened again on the next, so each drawn line is balanced and keeps its numbers' direction.
 */
const OPEN = /[\u2066-\u2068]/u
const CLOSE = '\u2069'
/** Directional formatting characters: they draw nothing, so they are not measured. */
const FORMAT = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/gu

export function wrapText(text: string, width: number, measure: (s: string) => number): string[] {
  const size = (s: string): number => measure(s.replace(FORMAT, ''))
  if (size(text) <= width) return [text]
  const lines: string[] = []
  let line = ''
  const open: string[] = [] // the isolates open at the end of `line`
  const words = text.split(/(?<= )/u) // each word keeps its trailing space
  for (const word of words) {
    if (line.replace(FORMAT, '') !== '' && size(line + word) > width) {
      lines.push(line.trimEnd() + CLOSE.repeat(open.length))
      line = open.join('')
    }
    line += word
    for (const c of word)
      if (OPEN.test(c)) open.push(c)
      else if (c === CLOSE) open.pop()
  }
  lines.push(line)
  return lines
}
