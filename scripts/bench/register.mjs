/**
 * The report's section for register.json (scripts/bench.mjs).
 * REGISTER/s with 100,000 provisioned subscribers on PostgreSQL: Kamailio on the service's database next to sipp's
 * bare registrar, with the goal (issue 24: at least 80% of the peer).
 */

/** The section's lines from the benchmark's JSON. */
export function section(g) {
  return [
    `## REGISTER/s with ${g.subscribers.toLocaleString('en-US')} subscribers`,
    '',
    `${g.environment}. Each round registers every subscriber once (REGISTER, 401, REGISTER with digest, 200); ${g.failed} failed; Kamailio counted ${g.registeredUsers} registered users after.`,
    '',
    '| measure | median REGISTER/s | rounds (REGISTER/s) |',
    '|---|---|---|',
    `| sipp's bare registrar: 401 then 200, no database (peer) | ${g.peerPerSecond} | ${g.rounds.map((r) => r.peer.perSecond).join(', ')} |`,
    `| Kamailio, shipped configuration, digest checked against the provisioning's ha1 | ${g.kamailioPerSecond} | ${g.rounds.map((r) => r.kamailio.perSecond).join(', ')} |`,
    '',
    `| Kamailio / peer, each round | ${g.ratio} | ${g.rounds.map((r) => r.ratio).join(', ')} |`,
    '',
    `First round, every REGISTER checked against the database: ${g.firstRoundRatio} of the peer. Load average (1 min) ${g.loadAverage.start} at the start, ${g.loadAverage.end} at the end; Kamailio logged ${g.kamailioLogLines} lines during the rounds.`,
    '',
    '| goal | Kamailio | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| REGISTER/s, median round | ${g.kamailioPerSecond} | sipp's bare registrar ${g.peerPerSecond} | ${g.ratio} | >= 0.8 | ${g.goalMet ? 'yes' : 'no'} |`,
    ''
  ]
}
