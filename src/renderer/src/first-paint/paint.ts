/**
 * The first paint: the shell's frame (navigation, an empty page, the status bar) drawn into #root by a plain
 * script before the app's modules have loaded, in the person's language and direction, so the window is not
 * blank while React, the language file and the first page download and run. React then renders the same markup
 * in its place (createRoot replaces #root's children): Nav.tsx, App.tsx, StatusBar.tsx and Loading.tsx at their
 * first render, with no settings or answers from main yet; test/e2e/first-paint.spec.ts holds the two equal.
 */
import { languageDir, type LanguageCode } from '../../../shared/i18n/languages'
import { PAGES, type PageName } from '../../../shared/ipc/app-pages'
import { NAV_ICONS } from '../components/nav-icons'
import { skipToContent } from '../skip-link'
import type { FirstPaintKey } from './keys'

const SVG = 'http://www.w3.org/2000/svg'

type Attrs = Record<string, string | undefined>

function el(doc: Document, tag: string, attrs: Attrs, ...children: (Node | string)[]): HTMLElement {
  const node = doc.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, value)
  node.append(...children)
  return node
}

function skipLink(doc: Document, text: string): HTMLElement {
  const a = el(doc, 'a', { class: 'skip', href: '#content' }, text)
  a.addEventListener('click', (e) => skipToContent(e, doc))
  return a
}

function icon(doc: Document, path: string): SVGElement {
  const svg = doc.createElementNS(SVG, 'svg')
  for (const [name, value] of Object.entries({ viewBox: '0 0 24 24', width: '20', height: '20' }))
    svg.setAttribute(name, value)
  svg.setAttribute('aria-hidden', 'true')
  const p = doc.createElementNS(SVG, 'path')
  p.setAttribute('d', path)
  p.setAttribute('fill', 'currentColor')
  svg.append(p)
  return svg
}

/** Sets the page's language and direction and draws the shell's frame into `root` (replacing nothing else). */
export function paintShell(
  doc: Document,
  root: HTMLElement,
  lang: LanguageCode,
  words: Record<FirstPaintKey, string>,
  page: PageName
): void {
  doc.documentElement.lang = lang
  doc.documentElement.dir = languageDir(lang)
  const checking = (testid: string, dot: string): HTMLElement =>
    el(doc, 'span', { 'data-testid': testid, class: `dot ${dot}` }, words['status.checking'])
  root.replaceChildren(
    el(
      doc,
      'div',
      { class: 'shell' },
      skipLink(doc, words['app.skip']),
      el(
        doc,
        'nav',
        { class: 'nav', 'aria-label': words['app.navLabel'] },
        el(
          doc,
          'div',
          { class: 'brand', 'aria-hidden': 'true' },
          el(doc, 'img', { alt: '', width: '28', height: '28', src: './favicon.svg' }),
          el(doc, 'span', {}, words['app.name'])
        ),
        el(
          doc,
          'ul',
          {},
          ...PAGES.map((name) =>
            el(
              doc,
              'li',
              {},
              el(
                doc,
                'a',
                {
                  href: `#/${name}`,
                  'aria-current': name === page ? 'page' : undefined,
                  'data-testid': `nav-${name}`
                },
                icon(doc, NAV_ICONS[name]),
                el(doc, 'span', {}, words[`nav.${name}`])
              )
            )
          )
        )
      ),
      el(
        doc,
        'main',
        { id: 'content', class: 'content', tabindex: '-1', 'data-testid': `page-${page}` },
        el(
          doc,
          'p',
          { class: 'loading muted', role: 'status', 'aria-busy': 'true', 'data-testid': 'loading' },
          words['app.loading']
        )
      ),
      el(
        doc,
        'footer',
        { class: 'statusbar', 'aria-label': words['status.label'] },
        // What StatusBar shows before main answers: nothing known yet, and the service not yet reachable.
        checking('status-device', 'idle'),
        checking('status-line', 'idle'),
        checking('status-service', 'bad'),
        // StatusBar's region that says a change of the line's state: empty until one.
        el(doc, 'span', { class: 'said unseen', role: 'status', 'data-testid': 'status-said' })
      )
    )
  )
}
