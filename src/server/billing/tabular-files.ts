/**
 * The two file shapes the service hands out for tables of money (itemised calls, the balance statement, invoices,
 * signed statements): CSV (RFC 4180, for spreadsheets) and a plain A4 PDF (pdf-lib, pure JS: no headless browser
 * or native library on the server). One place, so every export reads and breaks pages the same way.
 *
 * The PDF is drawn in DejaVu Sans (../pdf/fonts.ts) so every language the app speaks, Persian included, and every
 * name a person typed shows as written. A right-to-left language mirrors the page: columns run from the right,
 * each line is laid out by the bidirectional algorithm (../pdf/bidi-runs.ts) and aligned right. A cell wider than
 * the room before the next filled cell wraps onto more lines (../pdf/wrap.ts): a description in French or
 * Croatian runs longer than in English.
 *
 * pdf-lib and fontkit are loaded when the first PDF is made, not with the service: compiling them was about a
 * third of a service process's start (`node out/main/server.js` to its first health answer, three starts each:
 * 3.0-3.5 CPU s with them, 2.05 without), and most processes (a test's, the ops stack's) never make a PDF.
 */
import type { PDFFont, PDFPage } from 'pdf-lib'
import type { LanguageCode } from '../../shared/i18n/languages'
import { languageDir } from '../../shared/i18n/languages'
import { toCsv } from '../csv'
import { drawRuns } from '../pdf/bidi-runs'
import { pdfFont } from '../pdf/fonts'
import { wrapText } from '../pdf/wrap'

/** An amount in minor units as plain decimals ('12.50'), the way spreadsheets read it. */
export const decimal = (minor: number): string => (minor / 100).toFixed(2)

/** The byte-order mark a spreadsheet reads as "this file is UTF-8". */
export const UTF8_BOM = '\uFEFF'

/**
 * A CSV a person downloads from the app, through the service's one CSV writer (../csv.ts), so a name or label
 * cannot become a spreadsheet formula. It starts with the UTF-8 byte-order mark: without it Excel on Windows reads
 * the file in the machine's code page, and the words of every language but English (é, č, ș, Persian) come out
 * garbled. Spreadsheets and CSV readers take the mark as the encoding, not as text.
 */
export function toCsvText(rows: readonly (readonly string[])[]): string {
  return UTF8_BOM + toCsv(rows)
}

export interface PdfTable {
  readonly title: string
  /** The language the words are in: sets the page's direction and the document's language. English if absent. */
  readonly language?: LanguageCode
  /** The document's dates (an invoice's issue time): the same content then gives the same bytes. Now if absent. */
  readonly createdAt?: Date
  /** Lines under the title (the period, the account's time zone, the opening balance ...). */
  readonly intro?: readonly string[]
  /** The x of each column (points from the left of an A4 page; from the right for a right-to-left language). */
  readonly columns: readonly number[]
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
  /** Closing lines in bold (totals). */
  readonly footer?: readonly (readonly string[])[]
}

const PAGE: [number, number] = [595, 842]

/** Draws one line of text starting at `x` (left to right) or ending at `x` (right to left), run by run. */
function drawLine(
  page: PDFPage,
  text: string,
  x: number,
  y: number,
  size: number,
  font: PDFFont,
  rtl: boolean
) {
  const runs = drawRuns(text, rtl ? 'rtl' : 'ltr').map((r) => ({
    text: r.text,
    width: font.widthOfTextAtSize(r.text, size)
  }))
  let at = rtl ? x - runs.reduce((w, r) => w + r.width, 0) : x
  for (const r of runs) {
    page.drawText(r.text, { x: at, y, size, font })
    at += r.width
  }
}

export async function tablePdf(t: PdfTable): Promise<Buffer> {
  const language = t.language ?? 'en'
  const rtl = languageDir(language) === 'rtl'
  const [{ PDFDocument }, { default: fontkit }] = await Promise.all([
    import('pdf-lib'),
    import('@pdf-lib/fontkit')
  ])
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  doc.setTitle(t.title.replace(/[\u2066-\u2069]/g, ''))
  doc.setLanguage(language)
  doc.setProducer('Dialtone')
  doc.setCreator('Dialtone')
  const created = t.createdAt ?? new Date()
  doc.setCreationDate(created)
  doc.setModificationDate(created)
  // A fixed font name (no random subset tag): the same content gives the same bytes. No rtlm: ../pdf/bidi-runs.ts
  // mirrors brackets itself.
  const options = { subset: true, features: { rtlm: false } }
  const font = await doc.embedFont(pdfFont('regular'), { ...options, customName: 'DejaVuSans' })
  const bold = await doc.embedFont(pdfFont('bold'), { ...options, customName: 'DejaVuSans-Bold' })
  let page = doc.addPage(PAGE)
  let y = 800
  const at = (x: number): number => (rtl ? PAGE[0] - x : x)
  const line = (cells: readonly string[], f = font): void => {
    const shown = cells.slice(0, t.columns.length)
    // Each cell's room: up to the next filled cell's column, less a gap. The last filled cell (an amount at the
    // right) and a line under the title (one cell) run on as they always did.
    const wrapped = shown.map((text, i) => {
      const next = shown.findIndex((c, j) => j > i && c !== '')
      if (next === -1) return [text]
      const room = (t.columns[next] ?? PAGE[0]) - (t.columns[i] ?? 40) - 6
      return wrapText(text, room, (s) => f.widthOfTextAtSize(s, 8))
    })
    const height = 13 + 10 * (Math.max(1, ...wrapped.map((w) => w.length)) - 1)
    if (y - height + 13 < 50) {
      page = doc.addPage(PAGE)
      y = 800
    }
    wrapped.forEach((texts, i) =>
      texts.forEach((text, k) => drawLine(page, text, at(t.columns[i] ?? 40), y - 10 * k, 8, f, rtl))
    )
    y -= height
  }
  drawLine(page, t.title, at(40), y, 13, bold, rtl)
  y -= 20
  for (const text of t.intro ?? []) line([text])
  y -= 6
  line(t.header, bold)
  for (const r of t.rows) line(r)
  y -= 6
  for (const r of t.footer ?? []) line(r, bold)
  return Buffer.from(await doc.save())
}
