/**
 * One line of text as the runs a PDF draws, left to right on the page. A PDF has no notion of direction: text is
 * glyphs at positions. So the Unicode Bidirectional Algorithm (UAX #9, bidi-js rather than hand-written rules)
 * resolves each character's level in the page's base direction (right-to-left for Persian), the line is
 * reordered into visual order (rule L2) and mirrored where right-to-left (L4: '(' becomes ')'), then cut into runs
 * of one level. The isolates around numbers (FSI ... PDI, src/shared/i18n/bidi.ts) shape the levels and are
 * then dropped: they have no glyph.
 *
 * fontkit, which shapes each run (Persian letters joined), also reverses any run whose first letter is of a
 * right-to-left script; each run is therefore handed over in the order that, after fontkit, comes out visual:
 * logical for a Persian run (shaping needs the letters in reading order), reversed for a run fontkit would
 * reverse but must not (Persian digits in a left-to-right number). Mirroring is done here, by the algorithm, for
 * every run alike; the font's own right-to-left mirroring feature (rtlm) is switched off where the font is embedded
 * (../billing/tabular-files.ts), or a parenthesis in Persian text would be mirrored twice.
 */
import bidiFactory from 'bidi-js'

const bidi = bidiFactory()

/** Directional formatting characters: they steer the algorithm and draw nothing. */
const FORMAT = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/u
/** The first character with a script of its own (not Common or Inherited): what fontkit takes the run's script from. */
const SCRIPTED = /[^\p{Script=Common}\p{Script=Inherited}]/u

export interface DrawRun {
  /** The characters as they must be passed to pdf-lib's drawText (see the header). */
  readonly text: string
  readonly rtl: boolean
  /** Handed over reversed, for fontkit to reverse back. */
  readonly reversed: boolean
}

const fontkitReverses = (s: string): boolean => /\p{Script=Arabic}/u.test(s.match(SCRIPTED)?.[0] ?? '')

/** Cuts a visual run where its script changes (Persian digits beside 'USD'), common characters joining the piece before. */
function byScript(visual: string): string[] {
  const pieces: string[] = []
  let piece = ''
  let arabic: boolean | null = null
  for (const c of visual) {
    const scripted = SCRIPTED.test(c)
    const isArabic = /\p{Script=Arabic}/u.test(c)
    if (scripted && arabic !== null && isArabic !== arabic) {
      pieces.push(piece)
      piece = ''
    }
    if (scripted) arabic = isArabic
    piece += c
  }
  if (piece !== '') pieces.push(piece)
  return pieces
}

export function drawRuns(text: string, base: 'ltr' | 'rtl'): DrawRun[] {
  if (text === '') return []
  const embedding = bidi.getEmbeddingLevels(text, base)
  const { levels } = embedding
  const mirrored = bidi.getMirroredCharactersMap(text, levels)
  const chars = [...text].length === text.length ? text.split('') : null
  if (!chars) throw new Error('text outside the Basic Multilingual Plane cannot be laid out')
  const order = chars.map((_, i) => i)
  for (const [start = 0, end = -1] of bidi.getReorderSegments(text, embedding)) {
    const flipped = order.slice(start, end + 1).reverse()
    order.splice(start, flipped.length, ...flipped)
  }
  const runs: DrawRun[] = []
  let visual = ''
  let level = -1
  const flush = (): void => {
    if (visual === '') return
    const rtl = level % 2 === 1
    // fontkit reverses a run whose script is right-to-left: hand it such a piece reversed (logical for Persian).
    for (const piece of byScript(visual)) {
      const reversed = fontkitReverses(piece)
      const last = runs[runs.length - 1]
      // Pieces fontkit keeps as given join into one drawn text (an English line stays one string).
      if (!reversed && last && !last.reversed) runs[runs.length - 1] = { ...last, text: last.text + piece }
      else runs.push({ text: reversed ? [...piece].reverse().join('') : piece, rtl, reversed })
    }
    visual = ''
  }
  for (const i of order) {
    const c = chars[i] ?? ''
    if (FORMAT.test(c)) continue
    const l = levels[i] ?? 0
    if (l !== level) {
      flush()
      level = l
    }
    visual += mirrored.get(i) ?? c
  }
  flush()
  return runs
}
