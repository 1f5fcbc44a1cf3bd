/**
 * The report's section for scale.json (scripts/bench.mjs).
 * Scale (issue 24 goal 5): one and two service processes behind HAProxy on one PostgreSQL, wrk, same run; the
 * CPU each part used and the most two processes could reach on this machine.
 */

/** The section's lines from the benchmark's JSON. */
export function section(c) {
  const row = (name, x) => {
    const k = x.cpuMsPerAnswer
    return `| ${name} | ${x.perSecond} | ${k.service}, ${k.postgres}, ${k.haproxy}, ${k.wrk} | ${x.busiestServiceCore} | ${x.othersCores} | ${x.errors} |`
  }
  return [
    '## Scale: one and two service processes behind HAProxy',
    '',
    `${c.environment}.`,
    '',
    "| layout | answers/s | CPU ms per answer: service, PostgreSQL, HAProxy, wrk | busiest service process (cores) | the machine's other work (cores) | errors |",
    '|---|---|---|---|---|---|',
    ...c.rounds.flatMap((r, i) => [
      row(`round ${i + 1}: one process (peer)`, r.oneProcess),
      row(
        `round ${i + 1}: two processes (${r.ratio}x; ceiling ${r.ceiling}x; load average ${r.loadAverage})`,
        r.twoProcesses
      )
    ]),
    '',
    '| goal (issue 24, 5) | figure | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| two processes over one, median of ${c.rounds.length} rounds | ${c.twoProcesses.perSecond} answers/s | one process ${c.oneProcess.perSecond} answers/s | ${c.ratio}x | >= ${c.goal}x | ${c.ratio >= c.goal ? 'yes' : 'no'} |`,
    `| the ceiling this machine allowed in that round (cores left after the other work / a request's CPU, at most two cores of service) | ${c.ceiling}x (${c.ceilingOnAnIdleMachine}x on an idle machine) | | ${c.fractionOfCeiling} of it | | |`,
    '',
    `Rounds: ${c.rounds.map((r) => `${r.ratio}x of a ${r.ceiling}x ceiling`).join('; ')} (docs/scaling.md says what limits it on 2 cores). Money after every phase: ${c.money.distinctIntents} paid intents answered and ${c.money.succeededCharges} succeeded charges; ${c.money.paidOrders} paid orders for ${c.money.distinctRenewals} renewals answered; wrk's accounts hold exactly the top-ups answered: ${c.money.pooled.balanceExact ? 'yes' : 'no'} (${c.unanswered} requests left unanswered when wrk stopped; the database may hold up to that many more).`,
    ''
  ]
}
