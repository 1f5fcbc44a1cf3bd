/**
 * The font every PDF the service makes is drawn in: DejaVu Sans (Debian's fonts-dejavu-core, installed by
 * scripts/setup.sh), embedded as a subset through fontkit. pdf-lib's standard fonts speak WinAnsi only: no Persian,
 * and not even the č, ć, đ, ă, ș, ț of Croatian, Romanian and Slovenian. DejaVu Sans covers Latin and the Arabic
 * script with the OpenType tables (GSUB) fontkit shapes Persian with: each letter's joined form and the lam-alef
 * ligatures. Read once per process.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Debian's place for fonts-dejavu-core; DIALTONE_PDF_FONT_DIR points elsewhere (another distribution). */
export const FONT_DIR = process.env.DIALTONE_PDF_FONT_DIR ?? '/usr/share/fonts/truetype/dejavu'
const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const

export type FontWeight = keyof typeof FILES

const cache = new Map<FontWeight, Uint8Array>()

/** The fonts' files that are not there, as paths (empty when the service can make PDFs). */
export function missingPdfFonts(dir = FONT_DIR): string[] {
  return Object.values(FILES)
    .map((f) => join(dir, f))
    .filter((p) => !existsSync(p))
}

export function pdfFont(weight: FontWeight): Uint8Array {
  let bytes = cache.get(weight)
  if (!bytes) {
    const path = join(FONT_DIR, FILES[weight])
    if (!existsSync(path))
      throw new Error(
        `the PDF font ${path} is missing: install Debian's fonts-dejavu-core (scripts/setup.sh)`
      )
    bytes = new Uint8Array(readFileSync(path))
    cache.set(weight, bytes)
  }
  return bytes
}
