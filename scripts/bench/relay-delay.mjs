/**
 * The report's section for relay-delay.json (scripts/bench.mjs).
 * Mouth-to-ear delay through the media relay (rtpengine to a carrier that echoes) next to a direct browser call.
 */
import { msTable } from './tables.mjs'

/** The section's lines from the benchmark's JSON. */
export function section(d) {
  return [
    '## Mouth-to-ear delay: through the media relay and browser to browser',
    '',
    `${d.environment}. ITU-T G.114: up to 150 ms one way is comfortable.`,
    '',
    ...msTable('measure', [
      ['one way, relayed: app -> rtpengine -> carrier (PCMU)', d.relayedOneWayMs],
      ['one way, direct: app -> app, browser to browser (peer)', d.directOneWayMs],
      ['round trip, relayed (echoed by the carrier, sipp -rtp_echo)', d.relayedRoundTripMs],
      ['round trip, direct (echoed by the far page through its playout)', d.directRoundTripMs]
    ]),
    ''
  ]
}
