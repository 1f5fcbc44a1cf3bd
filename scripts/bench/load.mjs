/**
 * The report's section for load.json (scripts/bench.mjs).
 * Load and overload (issue 24 goal 4): wrk as the load; 2x through HAProxy (the shipped layout) and straight to
 * the process, 1x straight to the process; the money counted from the database.
 */

/** The section's lines from the benchmark's JSON. */
export function section(l) {
  const m = l.money
  const st = l.moneyStraight
  const phases = [
    ['2x, through HAProxy (shipped layout)', l.viaHaproxy],
    ['2x, straight to the process', l.twoX],
    ['1x, straight to the process', l.oneX]
  ]
  const cells = (f) => phases.map(([, p]) => f(p)).join(' | ')
  const t = (x) => `${x.p99} (${x.count})`
  const via = l.viaHaproxy
  const yes = (ok) => (ok ? 'yes' : 'no')
  return [
    '## Load and overload: wrk through HAProxy and straight to the process',
    '',
    `${l.environment}. Peer: the health route, ${l.peer.connections} wrk connections straight to the process, ${l.peer.perSecond}/s, p50 ${l.peer.latency.p50} ms, p99 ${l.peer.latency.p99} ms (load average ${l.peer.loadAverage.join(', ')}). HAProxy: ${via.haproxy}.`,
    '',
    `| measure | ${phases.map(([n]) => n).join(' | ')} | goal |`,
    `|---|${phases.map(() => '---').join('|')}|---|`,
    `| wrk connections | ${cells((p) => p.connections)} | — |`,
    `| admitted answers/s (wrk) | ${cells((p) => p.admittedPerSecond)} | — |`,
    `| admitted p99 ms (count): at the door, HAProxy's log | ${cells((p) => (p.door ? t(p.door.admitted) : '—'))} | under 1000 |`,
    `| admitted p99 ms (count): the Node clients | ${cells((p) => t(p.nodeClients.admitted))} | under 1000 |`,
    `| admitted p99 ms (count): in the process, parse to answer | ${cells((p) => t(p.process.admitted))} | — |`,
    `| 503 p99 ms (count): at the door | ${cells((p) => (p.door ? t(p.door.refused) : '—'))} | under 50 |`,
    `| 503 p99 ms (count): at the door, shed unqueued (the rest waited out \`timeout queue\`) | ${cells((p) => (p.door ? t(p.door.shed) : '—'))} | — |`,
    `| 503 p99 ms (count): the Node clients | ${cells((p) => t(p.nodeClients.refused))} | under 50 |`,
    `| 503 p99 ms (count): in the process | ${cells((p) => t(p.process.refused))} | — |`,
    `| Node clients arriving during the phase: first answer median, p99 ms | ${cells((p) => `${p.nodeClients.firstAnswer.median}, ${p.nodeClients.firstAnswer.p99}`)} | not starved |`,
    `| wrk, every answer (503s, drain): p50, p99 ms | ${cells((p) => `${p.wrk.latencyAllAnswers.p50}, ${p.wrk.latencyAllAnswers.p99}`)} | — |`,
    `| the process: accept queue median, max | ${cells((p) => `${p.process.acceptQueue.median}, ${p.process.acceptQueue.max}`)} | — |`,
    `| the process: event-loop delay p99, max ms | ${cells((p) => `${p.process.loopDelay.p99}, ${p.process.loopDelay.max}`)} | — |`,
    `| CPU s: service, HAProxy, wrk, Node clients; rest of the machine | ${cells((p) => `${p.cpu.cpuSeconds.service}, ${p.cpu.cpuSeconds.haproxy}, ${p.cpu.cpuSeconds.wrk}, ${p.cpu.cpuSeconds.nodeClients}; ${p.cpu.others}`)} | — |`,
    `| errors other than 503 (coverage-cap and 429 apart) | ${cells((p) => p.errors)} | 0 |`,
    `| load average (1 min) at the end | ${cells((p) => p.loadAverage[0])} | — |`,
    '',
    '| goal (issue 24, 4) | figure | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| 2x through HAProxy: admitted p99 at the door | ${via.door.admitted.p99} ms | health route ${l.peer.latency.p99} ms | ${(via.door.admitted.p99 / l.peer.latency.p99).toFixed(2)}x | < 1000 ms | ${yes(via.door.admitted.p99 < 1000)} |`,
    `| 2x through HAProxy: admitted p99 at the Node clients | ${via.nodeClients.admitted.p99} ms | | | < 1000 ms | ${yes(via.nodeClients.admitted.p99 < 1000)} |`,
    `| 2x through HAProxy: 503 p99 at the door | ${via.door.refused.p99} ms | | | < 50 ms | ${yes(via.door.refused.p99 < 50)} |`,
    `| 2x through HAProxy: errors other than 503 | ${via.errors} | | | 0 | ${yes(via.errors === 0)} |`,
    `| 2x through HAProxy: money, database = answered | ${m.succeededCharges} charges, ${m.paidOrders} orders | ${m.distinctIntents} intents, ${m.distinctRenewals} renewals answered | | exact | ${yes(m.succeededCharges === m.distinctIntents && m.paidOrders === m.distinctRenewals && m.accountsWithWrongBalance === 0 && m.pooled.balanceExact)} |`,
    `| 2x straight to the process: admitted p99 at the Node clients | ${l.twoX.nodeClients.admitted.p99} ms | | | < 1000 ms | ${yes(l.twoX.nodeClients.admitted.p99 < 1000)} |`,
    `| 2x straight to the process: first answer p99 (new connections) | ${l.twoX.nodeClients.firstAnswer.p99} ms | | | < 1000 ms | ${yes(l.twoX.nodeClients.firstAnswer.p99 < 1000)} |`,
    `| 2x straight to the process: 503 p99 at the Node clients | ${l.twoX.nodeClients.refused.p99} ms | | | < 50 ms | ${yes(l.twoX.nodeClients.refused.p99 < 50)} |`,
    '',
    `Money through HAProxy: ${m.distinctIntents} paid intents answered and ${m.succeededCharges} succeeded charges; ${m.paidOrders} paid orders for ${m.distinctRenewals} renewals answered; ${m.accountsWithWrongBalance} Node-client accounts whose balance differs from their distinct top-ups; wrk's ${m.pooled.accounts} accounts hold exactly ${m.pooled.topUps} top-ups: ${yes(m.pooled.balanceExact)}. Straight to the process afterwards: wrk's money answered ${st.wrkMoneyAnswered}, in the database ${st.wrkMoneyInDb}, ${st.wrkUnanswered} requests left unanswered in the accept queue when wrk stopped (within bounds: ${yes(st.withinBound)}); ${st.vouchersRedeemed} vouchers redeemed, ${st.vouchersRedeemedInDb} in the database.`,
    ''
  ]
}
