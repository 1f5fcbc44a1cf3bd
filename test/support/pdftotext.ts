/**
 * A PDF's words as an independent reader sees them: poppler's pdftotext (Debian's poppler-utils, installed by
 * scripts/setup.sh), not the pdf-lib that wrote the file. pdftotext puts right-to-left text back in reading order
 * and marks the direction with embedding controls; those, the isolates and the zero-width non-joiner (which it
 * reads as a space) are normalised away, and runs of spaces become one, so a test compares plain sentences.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The same normalisation for the words a test expects. */
export const plainText = (s: string): string =>
  s
    .replace(/[\u202a-\u202e\u200e\u200f\u2066-\u2069]/g, '')
    .replace(/\u200c/g, ' ')
    .replace(/[ \t]+/g, ' ')

/** Every line of text, in the order pdftotext reads them (its default, reading-order mode). */
export function pdfToText(bytes: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-pdf-'))
  try {
    const file = join(dir, 'file.pdf')
    writeFileSync(file, bytes)
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    return text
      .split('\n')
      .map((l) => plainText(l).trim())
      .filter((l) => l !== '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
