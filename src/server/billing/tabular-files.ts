/**
 * The two file shapes the service hands out for tables of money (itemised calls, the balance statement): CSV
 * (RFC 4180, for spreadsheets) and a plain A4 PDF (pdf-lib, pure JS: no headless browser or native library on the
 * server). One place, so every export reads and breaks pages the same way.
 *
 * The PDF uses the standard Helvetica (WinAnsi): the exports are English with codes, numbers and dates, so a
 * character outside that set (none is expected) becomes '?' rather than failing the whole file.
 */
import { PDFDocument, type PDFFont, StandardFonts } from 'pdf-lib'
import { toCsv } from '../csv'

/** An amount in minor units as plain decimals ('12.50'), the way spreadsheets read it. */
export const decimal = (minor: number): string => (minor / 100).toFixed(2)

/** Through the service's one CSV writer (../csv.ts), so a name or label cannot become a spreadsheet formula. */
export function toCsvText(rows: readonly (readonly string[])[]): string {
  return toCsv(rows)
}

export interface PdfTable {
  readonly title: string
  /** Lines under the title (the period, the account's time zone, the opening balance ...). */
  readonly intro?: readonly string[]
  /** The x of each column (points from the left of an A4 page). */
  readonly columns: readonly number[]
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
  /** Closing lines in bold (totals). */
  readonly footer?: readonly (readonly string[])[]
}

/** What the font can draw, as-is; anything else as '?'. */
function drawable(font: PDFFont, text: string): string {
  const set = new Set(font.getCharacterSet())
  return [...text].map((c) => (set.has(c.codePointAt(0) ?? 0) ? c : '?')).join('')
}

export async function tablePdf(t: PdfTable): Promise<Buffer> {
  const doc = await PDFDocument.create()
  doc.setTitle(t.title)
  doc.setProducer('Dialtone')
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  let page = doc.addPage([595, 842])
  let y = 800
  const line = (cells: readonly string[], f = font): void => {
    if (y < 50) {
      page = doc.addPage([595, 842])
      y = 800
    }
    cells
      .slice(0, t.columns.length)
      .forEach((text, i) => page.drawText(drawable(f, text), { x: t.columns[i] ?? 40, y, size: 8, font: f }))
    y -= 13
  }
  page.drawText(drawable(bold, t.title), { x: 40, y, size: 13, font: bold })
  y -= 20
  for (const text of t.intro ?? []) line([text])
  y -= 6
  line(t.header, bold)
  for (const r of t.rows) line(r)
  y -= 6
  for (const r of t.footer ?? []) line(r, bold)
  return Buffer.from(await doc.save())
}
