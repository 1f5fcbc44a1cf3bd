/**
 * Reading back the files the service exports, as a person's spreadsheet or PDF reader would: CSV (RFC 4180:
 * quoted fields, doubled quotes, CRLF) into rows, and the text a PDF draws (pdf-lib's own parser; every page's
 * content streams decoded, the strings of its text operators read through each font's ToUnicode map). For the
 * words as an independent reader sees them (Persian in reading order), see ./pdftotext.ts.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  type PDFObject,
  decodePDFRawStream
} from 'pdf-lib'

/**
 * Any bidi control a text can carry (LRM, RLM, embeddings and overrides, isolates): a plain-text file the service
 * writes (a CSV) must hold none, or a spreadsheet shows them as stray characters in its cells.
 */
export const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/

/** A CSV's rows; a leading UTF-8 byte-order mark is the file's encoding, as a spreadsheet takes it, not text. */
export function parseCsv(file: string): string[][] {
  const text = file.startsWith('\uFEFF') ? file.slice(1) : file
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

/** A font's ToUnicode CMap as glyph code (hex) -> text: how a reader maps the drawn glyphs back to characters. */
function toUnicode(doc: PDFDocument, font: PDFDict): Map<string, string> {
  const map = new Map<string, string>()
  const stream = doc.context.lookup(font.get(PDFName.of('ToUnicode')))
  if (!(stream instanceof PDFRawStream)) return map
  const cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
  const text = (hex: string): string => Buffer.from(hex, 'hex').swap16().toString('utf16le')
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set((m[1] ?? '').toUpperCase(), text(m[2] ?? ''))
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const [from, to, first] = [parseInt(m[1] ?? '', 16), parseInt(m[2] ?? '', 16), parseInt(m[3] ?? '', 16)]
      for (let c = from; c <= to; c++)
        map.set(c.toString(16).toUpperCase().padStart(4, '0'), String.fromCodePoint(first + c - from))
    }
  return map
}

/**
 * The strings shown by Tj (what pdf-lib's drawText writes), one per drawn text, in page order: glyph codes read
 * through the font's ToUnicode map (the embedded fonts), or as WinAnsi (the standard fonts).
 */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes)
  const out: string[] = []
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict)
    const maps = new Map<string, Map<string, string>>()
    for (const [name, ref] of fonts?.entries() ?? []) {
      const font = doc.context.lookup(ref)
      if (font instanceof PDFDict) maps.set(name.asString(), toUnicode(doc, font))
    }
    const contents: PDFObject | undefined = page.node.Contents()
    const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
    let map: Map<string, string> | undefined
    for (const ref of streams) {
      const stream = doc.context.lookup(ref)
      if (!(stream instanceof PDFRawStream)) continue
      const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
      for (const m of ops.matchAll(/(\/[^\s/]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
        if (m[1]) {
          map = maps.get(m[1])
          continue
        }
        const hex = (m[2] ?? '').toUpperCase()
        out.push(
          map && map.size > 0
            ? (hex.match(/.{4}/g) ?? []).map((g) => map?.get(g) ?? '').join('')
            : Buffer.from(hex, 'hex').toString('latin1')
        )
      }
    }
  }
  return out
}
