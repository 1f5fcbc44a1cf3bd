/**
 * The report's section for billing.json (scripts/bench.mjs).
 * Billing on both databases: renewals and voucher redemptions next to a bare single-row INSERT, same run.
 */

/** The section's lines from the benchmark's JSON. */
export function section(b) {
  return [
    '## Billing throughput',
    '',
    `${b.environment}.`,
    '',
    '| measure | SQLite req/s | SQLite median ms | SQLite p99 ms | PostgreSQL req/s | PostgreSQL median ms | PostgreSQL p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...[
      ['bare single-row INSERT (peer)', 'bareInsert'],
      ['online renewal (POST /v1/checkout)', 'renewals'],
      ['renewal without HTTP (the checkout function, same handle as the INSERT)', 'renewalsInProcess'],
      ['Re-Up redemption (POST /v1/vouchers/redeem)', 'vouchers']
    ].map(
      ([name, k]) =>
        `| ${name} | ${b.sqlite[k].perSecond} | ${b.sqlite[k].median} | ${b.sqlite[k].p99} | ${b.postgres[k].perSecond} | ${b.postgres[k].median} | ${b.postgres[k].p99} |`
    ),
    '',
    `PostgreSQL as the product runs it (\`npm run stack\`: commits flushed, the server's own fsync, synchronous_commit and full_page_writes); the goal is judged there. Beside it, the tests' cluster, which flushes nothing: a renewal's cost in CPU alone.`,
    '',
    '| renewal cost (goal: a renewal at least 10% of the bare INSERT rate) | SQLite | PostgreSQL | PostgreSQL, nothing flushed |',
    '|---|---|---|---|',
    ...costRows(b.sqlite, b.postgres, b.postgresUnflushed),
    ''
  ]
}

/** The renewal-cost rows, a column per database (the unflushed one absent from results made before it). */
function costRows(...dbs) {
  const cell = (f) => dbs.map((d) => (d ? f(d) : '')).join(' | ')
  const rounds = dbs[0].bareInsert.rounds?.length ?? 1
  return [
    `| statements per renewal | ${cell((d) => d.renewalsInProcess.statements)} |`,
    `| transactions per renewal | ${cell((d) => d.renewalsInProcess.transactions)} |`,
    `| round trips per renewal (statements + BEGIN/COMMIT) | ${cell((d) => d.renewalsInProcess.roundTrips)} |`,
    `| bare INSERT / s (peer) | ${cell((d) => d.bareInsert.perSecond)} |`,
    `| renewal without HTTP / bare INSERT (median of ${rounds} alternating rounds; goal ${dbs[0].renewalGoal ?? 0.1}) | ${cell((d) => d.renewalShareOfInsert)} |`,
    `| goal met | ${cell((d) => (d.renewalGoalMet ? 'yes' : 'no'))} |`,
    `| CPU µs per renewal, service + database (per bare INSERT) | ${cell((d) => `${d.cpuMicrosecondsPer.renewal.service} + ${d.cpuMicrosecondsPer.renewal.database} (${d.cpuMicrosecondsPer.insert.service} + ${d.cpuMicrosecondsPer.insert.database})`)} |`,
    `| renewal / bare INSERT by CPU time (steadier under load than rates) | ${cell((d) => d.renewalShareOfInsertByCpu)} |`,
    `| renewal over HTTP / bare INSERT | ${cell((d) => d.httpRenewalShareOfInsert)} |`
  ]
}
