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
    '| renewal cost (goal: a renewal at least 10% of the bare INSERT rate) | SQLite | PostgreSQL |',
    '|---|---|---|',
    `| statements per renewal | ${b.sqlite.renewalsInProcess.statements} | ${b.postgres.renewalsInProcess.statements} |`,
    `| transactions per renewal | ${b.sqlite.renewalsInProcess.transactions} | ${b.postgres.renewalsInProcess.transactions} |`,
    `| round trips per renewal (statements + BEGIN/COMMIT) | ${b.sqlite.renewalsInProcess.roundTrips} | ${b.postgres.renewalsInProcess.roundTrips} |`,
    `| renewal without HTTP / bare INSERT (median of ${b.sqlite.bareInsert.rounds?.length ?? 1} alternating rounds; goal ${b.sqlite.renewalGoal ?? 0.1}) | ${b.sqlite.renewalShareOfInsert} | ${b.postgres.renewalShareOfInsert} |`,
    `| goal met | ${b.sqlite.renewalGoalMet ? 'yes' : 'no'} | ${b.postgres.renewalGoalMet ? 'yes' : 'no'} |`,
    ...(b.sqlite.cpuMicrosecondsPer
      ? [
          `| CPU µs per renewal, service + database (per bare INSERT) | ${b.sqlite.cpuMicrosecondsPer.renewal.service} + ${b.sqlite.cpuMicrosecondsPer.renewal.database} (${b.sqlite.cpuMicrosecondsPer.insert.service} + ${b.sqlite.cpuMicrosecondsPer.insert.database}) | ${b.postgres.cpuMicrosecondsPer.renewal.service} + ${b.postgres.cpuMicrosecondsPer.renewal.database} (${b.postgres.cpuMicrosecondsPer.insert.service} + ${b.postgres.cpuMicrosecondsPer.insert.database}) |`,
          `| renewal / bare INSERT by CPU time (steadier under load than rates) | ${b.sqlite.renewalShareOfInsertByCpu} | ${b.postgres.renewalShareOfInsertByCpu} |`
        ]
      : []),
    `| renewal over HTTP / bare INSERT | ${b.sqlite.httpRenewalShareOfInsert} | ${b.postgres.httpRenewalShareOfInsert} |`,
    ''
  ]
}
