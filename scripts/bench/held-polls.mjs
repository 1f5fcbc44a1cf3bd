/**
 * The report's section for held-polls.json (scripts/bench.mjs).
 * The line-changes long poll's cost to the service: memory and CPU per held poll next to an idle keep-alive
 * connection, and how soon a change reaches the polls held for it.
 */

/** The section's lines from the benchmark's JSON. */
export function section(k) {
  return [
    '## Held line-changes polls',
    '',
    `${k.environment}.`,
    '',
    '| per connection | JS heap KiB | RSS KiB | service CPU ms/s, all held |',
    '|---|---|---|---|',
    `| idle keep-alive connection (peer) | ${k.perIdleConnection.heapKiB} | ${k.perIdleConnection.rssKiB} | ${k.cpuMsPerSecond.idleConnections} |`,
    `| held poll | ${k.perHeldPoll.heapKiB} | ${k.perHeldPoll.rssKiB} | ${k.cpuMsPerSecond.heldPolls} |`,
    '',
    `A change (a line's label set by its account) answered in ${k.labelAnsweredMs} ms; the account's 8 held polls had all answered ${k.labelToPollsAnsweredMs} ms after it was sent (medians of 20).`,
    ''
  ]
}
