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
    "The goal's figures are of commits not synced to disk on either database (SQLite `synchronous = NORMAL`; PostgreSQL with fsync and synchronous_commit off): what a renewal's own work costs. Beside them, PostgreSQL with its default durability, every commit flushed (a production cluster), where the flushes set both rates.",
    '',
    '| renewal cost (goal: a renewal at least 10% of the bare INSERT rate) | SQLite | PostgreSQL | PostgreSQL, commits flushed (context) |',
    '|---|---|---|---|',
    ...costRows(b.sqlite, b.postgres, b.postgresDurable),
    ''
  ]
}

/** The renewal-cost rows, a column per database (the flushed one, and CPU times, absent from older results). */
function costRows(...dbs) {
  const cell = (f) => dbs.map((d) => (d ? f(d) : '')).join(' | ')
  const rounds = dbs[0].bareInsert.rounds?.length ?? 1
  return [
    `| statements per renewal | ${cell((d) => d.renewalsInProcess.statements)} |`,
    `| transactions per renewal | ${cell((d) => d.renewalsInProcess.transactions)} |`,
    `| round trips per renewal (statements + BEGIN/COMMIT) | ${cell((d) => d.renewalsInProcess.roundTrips)} |`,
    `| bare INSERT / s (peer) | ${cell((d) => d.bareInsert.perSecond)} |`,
    `| renewal without HTTP / bare INSERT (median of ${rounds} alternating rounds; goal ${dbs[0].renewalGoal ?? 0.1}) | ${cell((d) => d.renewalShareOfInsert)} |`,
    // The flushed cluster (the third column) is context, not the goal's figure.
    `| goal met | ${dbs.map((d, i) => (!d ? '' : i > 1 ? '(context)' : d.renewalGoalMet ? 'yes' : 'no')).join(' | ')} |`,
    ...(dbs[0].cpuMicrosecondsPer
      ? [
          `| CPU µs per renewal, service + database (per bare INSERT) | ${cell((d) => `${d.cpuMicrosecondsPer.renewal.service} + ${d.cpuMicrosecondsPer.renewal.database} (${d.cpuMicrosecondsPer.insert.service} + ${d.cpuMicrosecondsPer.insert.database})`)} |`,
          `| bare INSERT's CPU over a renewal's (a renewal costs 1 / this of an INSERT's CPU) | ${cell((d) => d.renewalShareOfInsertByCpu)} |`,
          ...(dbs[0].cpuMicrosecondsPer.roundTrip
            ? [
                `| CPU µs per round trip alone (a one-parameter SELECT), service + database | ${cell((d) => `${d.cpuMicrosecondsPer.roundTrip.service} + ${d.cpuMicrosecondsPer.roundTrip.database}`)} |`,
                `| CPU µs per renewal beyond its round trips (its statements' work, the WAL, the service's code) | ${cell((d) => d.renewalCpuBeyondRoundTrips)} |`
              ]
            : [])
        ]
      : []),
    `| renewal over HTTP / bare INSERT | ${cell((d) => d.httpRenewalShareOfInsert)} |`
  ]
}
