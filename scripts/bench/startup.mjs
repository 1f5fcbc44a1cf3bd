/**
 * The report's section for startup.json (scripts/bench.mjs).
 * The renderer's weight and the web host's cold start next to their floors (React alone; a static page).
 */
import { goals, msTable } from './tables.mjs'

/** The section's lines from the benchmark's JSON. */
export function section(u) {
  const kb = (n) => (n / 1024).toFixed(1)
  return [
    '## Renderer bundle and web-host cold start',
    '',
    `${u.environment}.`,
    '',
    '| measure | gzip KiB |',
    '|---|---|',
    `| smallest React 19 app, react + react-dom (peer) | ${kb(u.bundle.reactFloorJsGzip)} |`,
    `| Dialtone renderer JavaScript fetched by the first contentful paint (${u.bundle.beforePaintFiles.length} files) | ${kb(u.bundle.dialtoneBeforePaintJsGzip)} |`,
    `| Dialtone renderer JavaScript fetched to show the first page, no dongle (${u.bundle.firstLoadFiles.length} files; languages: ${u.bundle.localesLoaded.join(', ')}) | ${kb(u.bundle.dialtoneFirstLoadJsGzip)} |`,
    `| the same first page beside a dongle, with its setup wizard (${u.bundle.dongleFirstLoadFiles.length} files) | ${kb(u.bundle.dialtoneDongleFirstLoadJsGzip)} |`,
    `| Dialtone renderer JavaScript, every chunk on disk (pages and languages load on demand) | ${kb(u.bundle.dialtoneJsGzip)} |`,
    `| Dialtone renderer CSS | ${kb(u.bundle.dialtoneCssGzip)} |`,
    '',
    ...msTable('spawn ->', [
      [
        'first contentful paint: bare node:http server, one static page (peer)',
        u.staticFloorSpawnToFirstPaintMs
      ],
      ['first contentful paint: Dialtone web host (`node out/main/web.js`)', u.dialtoneSpawnToFirstPaintMs],
      ["the page's first answer from the app brain over its socket", u.dialtoneSpawnToFirstSocketAnswerMs],
      ['first HTTP answer: bare node:http server (peer)', u.staticFloorSpawnToListeningMs],
      ['first HTTP answer: Dialtone web host', u.dialtoneSpawnToListeningMs]
    ]),
    '',
    ...msTable('navigation ->', [
      ['first contentful paint: the static page (peer)', u.staticFloorNavigationToFirstPaintMs],
      ["first contentful paint: Dialtone's page", u.dialtoneNavigationToFirstPaintMs]
    ]),
    '',
    ...goals([
      [
        'spawn -> first paint (median)',
        u.dialtoneSpawnToFirstPaintMs.median,
        'static page',
        u.staticFloorSpawnToFirstPaintMs.median,
        2,
        ' ms'
      ],
      [
        'renderer JS for the first page (gzip)',
        +kb(u.bundle.dialtoneFirstLoadJsGzip),
        'bare React',
        +kb(u.bundle.reactFloorJsGzip),
        2,
        ' KiB'
      ],
      [
        'renderer JS for the first page beside a dongle (gzip)',
        +kb(u.bundle.dialtoneDongleFirstLoadJsGzip),
        'bare React',
        +kb(u.bundle.reactFloorJsGzip),
        2,
        ' KiB'
      ]
    ])
  ]
}
