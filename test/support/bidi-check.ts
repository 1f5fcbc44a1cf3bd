/**
 * Reads a rendered page the way a person sees it and finds numbers laid out in the wrong order: in a
 * right-to-left page, "+1 212 555 0100" that is not isolated shows as "0100 555 212 1+" ("+" at the wrong end,
 * the groups reversed). The browser's own layout decides, not the markup: for every number in every visible text
 * node (a run of digits with '+', spaces, dots, commas, colons, slashes, dashes or brackets between), the
 * position of each character on screen (Range.getClientRects) must go left to right in reading order, as numbers
 * read in every language Dialtone speaks. Inputs showing digits must lay their text out left to right, and every
 * telephone keypad keeps its 1-2-3 / 4-5-6 layout. Runs in the page as a string, so no bundler helper leaks in.
 */
interface Evaluates {
  evaluate<R>(script: string): Promise<R>
}

export interface BidiFinding {
  /** The number as written (logical order). */
  readonly text: string
  /** Its characters in the order they appear on screen, left to right. */
  readonly shown: string
  /** Where it is: the nearest element with a test id, or the element's tag. */
  readonly where: string
}

const SCRIPT = String.raw`(() => {
  const findings = []
  const where = (el) => {
    const tagged = el.closest('[data-testid]')
    return tagged ? tagged.getAttribute('data-testid') : el.tagName.toLowerCase()
  }
  const NUMBER = /[+\u2212(]?\p{Nd}(?:[\p{Nd}\u066B\u066C.,:\/()\-]|\s(?=[+(\p{Nd}]))*/gu
  const range = document.createRange()
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement
    if (!el || el.closest('script, style, [hidden], [aria-hidden="true"]')) continue
    for (const m of node.data.matchAll(NUMBER)) {
      const token = m[0].replace(/[\s.,:\/(\-]+$/u, '')
      if (token.replace(/\D/gu, '').length + (token.includes('+') ? 1 : 0) < 2) continue
      const chars = []
      for (let i = 0; i < token.length; i++) {
        // Brackets are mirrored in right-to-left runs, so their place says nothing; spaces have no ink.
        if (/[\s()]/u.test(token[i])) continue
        range.setStart(node, m.index + i)
        range.setEnd(node, m.index + i + 1)
        const r = range.getClientRects()[0]
        if (!r || r.width === 0) continue
        chars.push({ c: token[i], x: r.left + r.width / 2, y: r.top + r.height / 2 })
      }
      if (chars.length < 2) continue
      // A number broken over two lines is not judged by its horizontal order.
      if (chars.some((ch) => Math.abs(ch.y - chars[0].y) > 4)) continue
      const inOrder = chars.every((ch, i) => i === 0 || ch.x > chars[i - 1].x)
      if (!inOrder)
        findings.push({
          text: token,
          shown: [...chars].sort((a, b) => a.x - b.x).map((ch) => ch.c).join(''),
          where: where(el)
        })
    }
  }
  for (const input of document.querySelectorAll('input, textarea')) {
    if (['checkbox', 'radio', 'range', 'hidden', 'password'].includes(input.type)) continue
    if (!/\p{Nd}/u.test(input.value) || input.getClientRects().length === 0) continue
    if (getComputedStyle(input).direction !== 'ltr')
      findings.push({ text: input.value, shown: 'an input laid out right to left', where: where(input) })
  }
  for (const pad of document.querySelectorAll('.keypad')) {
    const at = (k) => [...pad.querySelectorAll('button')].find((b) => b.textContent.trim() === k)?.getBoundingClientRect()
    const [one, two, three, four] = ['1', '2', '3', '4'].map(at)
    if (!one || !two || !three || !four) continue
    if (!(one.left < two.left && two.left < three.left && one.top < four.top))
      findings.push({ text: '1 2 3 / 4', shown: 'a keypad not in telephone order', where: where(pad) })
  }
  return findings
})()`

/** Every number on the page shown out of reading order (empty when all read left to right). */
export function misorderedNumbers(page: Evaluates): Promise<BidiFinding[]> {
  return page.evaluate<BidiFinding[]>(SCRIPT)
}
