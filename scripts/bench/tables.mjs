/**
 * The report's tables (scripts/bench.mjs): issue 24's goals beside their peers, and timing tables in milliseconds.
 */

/**
 * Issue 24's goals as a table: each figure, its peer from the same run, the ratio, the goal (a ratio to the peer,
 * and an absolute bound where the goal names one) and whether this run met it.
 * Rows: [measure, ours, peer name, peer, max ratio, unit, optional absolute max].
 */
export function goals(rows) {
  return [
    '| goal | Dialtone | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    ...rows.map(([name, ours, peerName, peer, maxRatio, unit, absolute]) => {
      const ratio = peer > 0 ? ours / peer : Infinity
      const met = ratio <= maxRatio && (absolute === undefined || ours < absolute)
      const goal = `<= ${maxRatio}x${absolute === undefined ? '' : ` and < ${absolute}${unit}`}`
      return `| ${name} | ${ours}${unit} | ${peerName} ${peer}${unit} | ${ratio.toFixed(2)}x | ${goal} | ${met ? 'yes' : 'no'} |`
    }),
    ''
  ]
}

/** A table of timings in milliseconds: a header naming the first column, then one row per [name, stats]. */
export const msTable = (firstColumn, rows) => [
  `| ${firstColumn} | median ms | p95 ms | min | max |`,
  '|---|---|---|---|---|',
  ...rows.map(([name, s]) => `| ${name} | ${s.median} | ${s.p95} | ${s.min} | ${s.max} |`)
]
