/**
 * Reading back the files the service exports, as a person's spreadsheet or PDF reader would: CSV (RFC 4180:
 * quoted fields, doubled quotes, CRLF) into rows, and the text a PDF draws (pdf-lib's own parser; every page's
 * content streams decoded, the strings of its text operators read as WinAnsi, the standard fonts' encoding).
 */
import { PDFArray, PDFDocument, PDFRawStream, type PDFObject, decodePDFRawStream } from 'pdf-lib'

export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += c
  }
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows
}

/** Hex and literal strings shown by Tj (what pdf-lib's drawText writes), one per drawn text, in page order. */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes)
  const out: string[] = []
  for (const page of doc.getPages()) {
    const contents: PDFObject | undefined = page.node.Contents()
    const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
    for (const ref of streams) {
      const stream = doc.context.lookup(ref)
      if (!(stream instanceof PDFRawStream)) continue
      const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
        out.push(Buffer.from(m[1] ?? '', 'hex').toString('latin1'))
    }
  }
  return out
}
