/**
 * The report's section for phone.json (scripts/bench.mjs).
 * The SIP line against the same Kamailio: process start -> registered, Dialtone's SipLine next to sipp.
 * In the isolated network namespace: baresip needs its dead-end veth, and nothing leaves the machine.
 */
import { goals, msTable } from './tables.mjs'

/** The section's lines from the benchmark's JSON. */
export function section(p) {
  const b = p.dialtoneBreakdownMs
  return [
    '## SIP line: process start to registered, and INVITE to 200 OK',
    '',
    `${p.environment}.`,
    '',
    ...msTable('measure', [
      ['start -> registered: sipp, authenticated REGISTER (peer)', p.sippStartToRegisteredMs],
      ['start -> registered: baresip 1.0 (peer)', p.baresipStartToRegisteredMs],
      [
        "start -> registered: Dialtone SipLine (sip.js over ws, started as Electron's main: CommonJS through V8's code cache)",
        p.dialtoneStartToRegisteredMs
      ],
      ...(p.dialtoneCpuToRegisteredMs
        ? [["Dialtone SipLine's CPU time (user + system) when registered", p.dialtoneCpuToRegisteredMs]]
        : []),
      ...(p.dialtonePackagedStartToRegisteredMs
        ? [
            [
              'start -> registered: the same line as a packaged app starts it (no code cache: its data folder is not trusted with code)',
              p.dialtonePackagedStartToRegisteredMs
            ]
          ]
        : []),
      ...(p.esmNoCacheStartToRegisteredMs
        ? [
            [
              'the same line as main was before (one ES module, compiled at every start)',
              p.esmNoCacheStartToRegisteredMs
            ],
            ['the same line as before: its CPU time when registered', p.esmNoCacheCpuToRegisteredMs]
          ]
        : []),
      ['an empty Node process, spawn -> exit (peer for the bootstrap)', p.nodeEmptyProcessMs],
      ...(p.nodeEmptyProcessExtraCaMs
        ? [
            [
              "an empty Node process with this machine's NODE_EXTRA_CA_CERTS (not in the rows above)",
              p.nodeEmptyProcessExtraCaMs
            ]
          ]
        : []),
      ['INVITE -> 200: sipp UAS (peer)', p.sippInviteTo200Ms],
      ['INVITE -> 200: baresip, auto-answer (peer)', p.baresipInviteTo200Ms],
      ...(p.sipjsInviteTo200Ms
        ? [
            [
              'INVITE -> 200: bare sip.js over the same WebSocket, answering at once (peer)',
              p.sipjsInviteTo200Ms
            ]
          ]
        : []),
      [
        'INVITE -> 200: Dialtone app brain in its own process, answered at the first ring',
        p.dialtoneInviteTo200Ms
      ]
    ]),
    '',
    ...(p.dialtoneFirstStartMs
      ? [
          `The line's first start, with no cache yet (it writes one): ${p.dialtoneFirstStartMs.toFixed(1)} ms (one run).`,
          ''
        ]
      : []),
    "Where Dialtone's start -> registered goes (each step on its own, from the process's own clock):",
    '',
    ...msTable('step', [
      ['Node bootstrap, the code-cache loader and the compile until the bundle runs', b.nodeBootstrap],
      ['modules (sip.js, ws, SipLine) evaluated', b.modules],
      ['credentials read, user agent built, socket created', b.credentialsAndUserAgent],
      ['WebSocket connect (open)', b.webSocketConnect],
      ['first REGISTER built and sent', b.firstRegister],
      ['REGISTER -> 401 (Kamailio)', b.challengeRoundTrip],
      ['401 parsed, digest computed, second REGISTER sent', b.digestAndSecondRegister],
      ['REGISTER -> 200 (Kamailio, digest checked)', b.okRoundTrip],
      ['200 -> the line reports registered', b.reportRegistered]
    ]),
    '',
    "Where the app's INVITE -> 200 goes (from the sockets; each leg on one process's clock):",
    '',
    ...msTable('leg', [
      ['the app: INVITE received -> 180 Ringing sent', p.dialtoneInviteBreakdownMs.appInviteToRinging],
      ['the app: 180 sent -> answered, 200 OK sent', p.dialtoneInviteBreakdownMs.appRingingToOk],
      [
        "the INVITE to the app and its 200 back, through Kamailio (the caller's INVITE -> 200 less the app's)",
        p.dialtoneInviteBreakdownMs.throughKamailioBothWays
      ],
      ...(p.sipjsInviteBreakdownMs
        ? [
            ['bare sip.js peer: INVITE received -> 180 sent', p.sipjsInviteBreakdownMs.appInviteToRinging],
            ['bare sip.js peer: 180 sent -> 200 OK sent', p.sipjsInviteBreakdownMs.appRingingToOk],
            [
              'bare sip.js peer: the INVITE to it and its 200 back, through Kamailio',
              p.sipjsInviteBreakdownMs.throughKamailioBothWays
            ]
          ]
        : [])
    ]),
    '',
    ...goals([
      [
        'start -> registered (median)',
        p.dialtoneStartToRegisteredMs.median,
        'sipp',
        p.sippStartToRegisteredMs.median,
        1,
        ' ms',
        100
      ],
      // The goal for the app as it ships packaged (no code cache), beside the one run from a checkout.
      ...(p.dialtonePackagedStartToRegisteredMs
        ? [
            [
              'start -> registered, packaged (median)',
              p.dialtonePackagedStartToRegisteredMs.median,
              'sipp',
              p.sippStartToRegisteredMs.median,
              1,
              ' ms',
              100
            ]
          ]
        : []),
      [
        'INVITE -> 200 (median)',
        p.dialtoneInviteTo200Ms.median,
        'sipp UAS',
        p.sippInviteTo200Ms.median,
        1.1,
        ' ms'
      ],
      // The same comparison against a peer on the app's own transport (sipp has no WebSocket): for the reading.
      ...(p.sipjsInviteTo200Ms
        ? [
            [
              'INVITE -> 200 (median), same transport',
              p.dialtoneInviteTo200Ms.median,
              'bare sip.js over WebSocket',
              p.sipjsInviteTo200Ms.median,
              1.1,
              ' ms'
            ]
          ]
        : [])
    ])
  ]
}
