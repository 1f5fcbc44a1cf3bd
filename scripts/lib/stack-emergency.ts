/**
 * The dev stack's emergency side (issue 22), independent SIP peers on loopback, started before Kamailio:
 * - a simulated PSAP (sipp) where Kamailio sends 911: the emergency gateway of the routing table (route set 911,
 *   probed with OPTIONS like carriers), written into the service's database here, and EMERGENCY_URI as the last
 *   resort. It answers only a call that asserts a callback number and logs every call's messages it receives
 *   (with the PIDF-LO location; not the OPTIONS probes) to logs/psap-messages.log, so a person can read what a PSAP gets; it hangs up after 30 s.
 *   Its call-back trunk (route set 911, direction in, DIALTONE_PSAP_PORT + 2) is where
 *   `npm run carrier-call -- --psap <number>` calls a line back from;
 * - the 911 address test where Kamailio sends 933 (scripts/address-test.mjs): reads the caller's address on
 *   record to them with espeak-ng and hangs up; the app shows the same address as text meanwhile.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { EMERGENCY_ROUTE_SET, saveGateway } from '../../src/server/carriers/routes'
import { openDatabase } from '../../src/server/db/database'
import { PEER_WATCHDOG_ARGS, SIPP_CONTROL_ON_LOOPBACK } from './carrier-scenarios'
import type { Children } from './children'
import { psapScenario } from './psap-scenario'
import type { StackConfig } from './stack-config'

export interface EmergencyParts {
  /** Kamailio's -A defines naming where 911 and 933 go. */
  readonly kamailioArgs: readonly string[]
  /** Lines for the "stack is running" summary. */
  readonly summary: readonly string[]
}

/**
 * sipp's arguments for the dev stack's simulated PSAP (its scenario: psapScenario with logCalls): its calls'
 * messages in <file>-messages.log, its failed checks in <file>-errors.log. Exported for its test.
 */
export function psapPeerArgs(scenario: string, dir: string, file: string, port: number): string[] {
  return [
    ...['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-nostdin', ...SIPP_CONTROL_ON_LOOPBACK],
    ...PEER_WATCHDOG_ARGS,
    // The calls' messages only (logCalls): -trace_msg would also write Kamailio's OPTIONS probe every 2 s.
    ...['-trace_logs', '-log_file', join(dir, `${file}-messages.log`)],
    ...['-trace_err', '-error_file', join(dir, `${file}-errors.log`)]
  ]
}

/** The dev stack's PSAP scenario: any call with a callback number, logged as received, hung up after a while. */
export const devPsapScenario = (hangUpAfterMs: number): string =>
  psapScenario({ located: 'either', hangUp: { afterMs: hangUpAfterMs }, logCalls: true })

function peer(
  children: Children,
  name: string,
  dir: string,
  file: string,
  port: number,
  hangUpAfterMs: number
): void {
  const scenario = join(dir, `${file}.xml`)
  writeFileSync(scenario, devPsapScenario(hangUpAfterMs))
  children.start({
    name,
    cmd: 'sipp',
    args: psapPeerArgs(scenario, dir, file, port),
    // sipp redraws its screen to stdout; the messages and errors have their own files.
    output: '/dev/null'
  })
}

/** Where the PSAP calls back from (its call-back trunk's address in the routing table). */
export const psapCallbackPort = (psapPort: number): number => psapPort + 2
/** Caller ID of the simulated PSAP's call back. */
export const PSAP_CALLER = '12015550911'

/** The PSAP and its call-back trunk as emergency gateways (the same rows at every start). */
async function writeEmergencyGateways(databaseUrl: string, psapPort: number): Promise<void> {
  const database = openDatabase(databaseUrl)
  try {
    const now = new Date()
    const psap = { routeSet: EMERGENCY_ROUTE_SET, host: '127.0.0.1', state: 'active' } as const
    await saveGateway(
      database.db,
      { ...psap, name: 'psap', port: psapPort, priority: 10, direction: 'out' },
      now
    )
    await saveGateway(
      database.db,
      { ...psap, name: 'psap-callback', port: psapCallbackPort(psapPort), priority: 0, direction: 'in' },
      now
    )
  } finally {
    await database.close()
  }
}

export async function startEmergency(
  config: StackConfig,
  children: Children,
  // The service's database (PostgreSQL with --processes N, scripts/lib/stack-scale.ts).
  databaseUrl = `sqlite:${join(config.serviceDataDir, 'service.db')}`
): Promise<EmergencyParts> {
  const { ports, logsDir } = config
  mkdirSync(logsDir, { recursive: true })
  await writeEmergencyGateways(databaseUrl, ports.psap)
  peer(children, 'the simulated PSAP', logsDir, 'psap', ports.psap, 30_000)
  children.start({
    name: 'the 911 address test (933)',
    cmd: process.execPath,
    args: [resolve(import.meta.dirname, '../address-test.mjs'), String(ports.addressTest)],
    output: join(logsDir, 'address-test.log')
  })
  return {
    kamailioArgs: [
      ...['-A', `EMERGENCY_URI="sip:127.0.0.1:${ports.psap}"`],
      ...['-A', `ADDRESS_TEST_URI="sip:127.0.0.1:${ports.addressTest}"`]
    ],
    summary: [
      `  911              simulated PSAP on udp 127.0.0.1:${ports.psap} (what it receives: ${join(logsDir, 'psap-messages.log')});`,
      `                   it calls a line back with: npm run carrier-call -- --psap <the line's number>`,
      `  933              911 address test on udp 127.0.0.1:${ports.addressTest}: reads the address on record aloud`
    ]
  }
}
