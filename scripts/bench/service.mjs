/**
 * The report's section for service.json (scripts/bench.mjs).
 * The account service on this machine: sign-in and activation next to a bare Fastify route, same process, same run.
 */

/** The section's lines from the benchmark's JSON. */
export function section(v) {
  return [
    '## Account service throughput',
    '',
    `${v.environment}.`,
    '',
    '| measure | requests/s | median ms | p99 ms |',
    '|---|---|---|---|',
    ...[
      ['bare Fastify POST route (peer)', v.bareFastify],
      ['service GET /v1/health (all hooks)', v.serviceHealth],
      ['service sign-in (scrypt-bound)', v.signIn],
      ['service trial activation', v.trialActivation]
    ].map(([name, s]) => `| ${name} | ${s.perSecond} | ${s.median} | ${s.p99} |`),
    ''
  ]
}
