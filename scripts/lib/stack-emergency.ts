/**
 * The dev stack's emergency side (issue 22): a simulated PSAP where Kamailio sends 911, and the 911 address-test
 * service where it sends 933, both sipp on loopback (independent SIP peers). The PSAP answers only a call that
 * asserts a callback number, and logs every message it receives (with the PIDF-LO location) to
 * logs/psap-messages.log so a person can read what a PSAP would get; it hangs up after 30 s if the caller has not.
 * The address-test service answers the same way and hangs up after 10 s; the app shows the address on record
 * meanwhile (docs/emergency.md). Started before Kamailio, which learns their addresses from the args returned.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Children } from './children'
import { psapScenario } from './psap-scenario'
import type { StackConfig } from './stack-config'

export interface EmergencyParts {
  /** Kamailio's -A defines naming where 911 and 933 go. */
  readonly kamailioArgs: readonly string[]
  /** Lines for the "stack is running" summary. */
  readonly summary: readonly string[]
}

function peer(
  children: Children,
  name: string,
  dir: string,
  file: string,
  port: number,
  hangUpAfterMs: number
): void {
  const scenario = join(dir, `${file}.xml`)
  writeFileSync(scenario, psapScenario({ located: 'either', hangUp: { afterMs: hangUpAfterMs } }))
  children.start({
    name,
    cmd: 'sipp',
    args: [
      ...['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-nostdin'],
      ...['-trace_msg', '-message_file', join(dir, `${file}-messages.log`)],
      ...['-trace_err', '-error_file', join(dir, `${file}-errors.log`)]
    ],
    // sipp redraws its screen to stdout; the messages and errors have their own files.
    output: '/dev/null'
  })
}

export function startEmergency(config: StackConfig, children: Children): EmergencyParts {
  const { ports, logsDir } = config
  mkdirSync(logsDir, { recursive: true })
  peer(children, 'the simulated PSAP', logsDir, 'psap', ports.psap, 30_000)
  peer(children, 'the 911 address test (933)', logsDir, 'address-test', ports.addressTest, 10_000)
  return {
    kamailioArgs: [
      ...['-A', `EMERGENCY_URI="sip:127.0.0.1:${ports.psap}"`],
      ...['-A', `ADDRESS_TEST_URI="sip:127.0.0.1:${ports.addressTest}"`]
    ],
    summary: [
      `  911              simulated PSAP on udp 127.0.0.1:${ports.psap} (what it receives: ${join(logsDir, 'psap-messages.log')})`,
      `  933              911 address test on udp 127.0.0.1:${ports.addressTest}`
    ]
  }
}
