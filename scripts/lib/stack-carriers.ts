/**
 * The dev stack's media relay and simulated carriers (issue 22): rtpengine (userspace, loopback), two carriers'
 * gateways (sipp: carrier A answers with a 1000 Hz tone, carrier B with 1500 Hz; B takes over when A is down or
 * answers 5xx), and the routing table that sends every number that is no Dialtone line to them, written into the
 * service's database before Kamailio reads it. A carrier calling in is `npm run carrier-call -- <number>`
 * (scripts/carrier-call.mjs), from the address this table lets in. Ports: see CARRIER_PORTS; docs/carriers.md.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../src/server/db/database'
import { saveGateway, savePrefix } from '../../src/server/carriers/routes'
import { udpPortFree } from '../../src/server/port-check'
import { gatewayArgs, gatewayScenario, makeTone } from './carrier-scenarios'
import type { Children } from './children'
import { RTPENGINE_BIN, ngCommand, rtpengineArgs } from './rtpengine'
import { StackError } from './stack-config'
import { writeFileSync } from 'node:fs'

/** Each port with its variable; the carriers' media ports are their SIP port + 10 (sipp -mp). */
export const CARRIER_PORTS = {
  rtpengine: { variable: 'DIALTONE_RTPENGINE_PORT', fallback: 22222, name: "rtpengine's control port" },
  carrierA: { variable: 'DIALTONE_CARRIER_A_PORT', fallback: 5080, name: 'carrier A' },
  carrierB: { variable: 'DIALTONE_CARRIER_B_PORT', fallback: 5081, name: 'carrier B' },
  carrierIn: { variable: 'DIALTONE_CARRIER_IN_PORT', fallback: 5082, name: 'the carrier calling in' },
  /** The carriers' media: A from here, B from here + 10, the caller from here + 20 (each takes 2 ports). */
  carrierMedia: { variable: 'DIALTONE_CARRIER_MEDIA_PORT', fallback: 6080, name: "the carriers' media" }
} as const
/** Where each carrier's RTP goes, from DIALTONE_CARRIER_MEDIA_PORT. */
export const mediaPortOf = (ports: Record<CarrierPortKey, number>, who: 'a' | 'b' | 'in'): number =>
  ports.carrierMedia + { a: 0, b: 10, in: 20 }[who]
export type CarrierPortKey = keyof typeof CARRIER_PORTS

/** The tones the simulated carriers play, and the number that reaches each (docs/carriers.md). */
export const SIMULATED_CARRIERS = {
  a: { hz: 1000, route: 'route set 1, priority 20' },
  b: { hz: 1500, route: 'route set 1, priority 10 (after A); route set 2 alone' }
} as const
/** Caller ID the carrier calling in presents. */
export const CARRIER_CALLER = '12125550142'

export function carrierPorts(env: NodeJS.ProcessEnv = process.env): Record<CarrierPortKey, number> {
  const out = {} as Record<CarrierPortKey, number>
  for (const [key, p] of Object.entries(CARRIER_PORTS) as [
    CarrierPortKey,
    (typeof CARRIER_PORTS)[CarrierPortKey]
  ][]) {
    const raw = env[p.variable]
    const n = raw === undefined || raw === '' ? p.fallback : Number(raw)
    if (!Number.isInteger(n) || n < 1 || n > 65525)
      throw new StackError(`${p.variable} must be a port number from 1 to 65525, not '${raw}'.`)
    out[key] = n
  }
  return out
}

/** Before anything starts: every carrier port (and media port) free, rtpengine installed. */
export async function checkCarrierPorts(ports: Record<CarrierPortKey, number>): Promise<void> {
  const busy: string[] = []
  for (const [key, port] of Object.entries(ports) as [CarrierPortKey, number][]) {
    const all = key === 'carrierMedia' ? [0, 2, 10, 12, 20, 22].map((d) => port + d) : [port]
    for (const p of all)
      if (!(await udpPortFree(p)))
        busy.push(`${p} (${CARRIER_PORTS[key].name}, ${CARRIER_PORTS[key].variable})`)
  }
  if (busy.length > 0)
    throw new StackError(
      `UDP ${busy.join(', ')} already in use on 127.0.0.1: stop what uses it, or choose another port.`
    )
}

/** Writes the simulated carriers' routing table (idempotent: the same rows each start). */
async function writeRoutes(databaseUrl: string, ports: Record<CarrierPortKey, number>): Promise<void> {
  const database = openDatabase(databaseUrl)
  try {
    const db = database.db
    const now = new Date()
    const gw = { host: '127.0.0.1', state: 'active' } as const
    await saveGateway(
      db,
      { ...gw, name: 'carrier-a', routeSet: 1, port: ports.carrierA, priority: 20, direction: 'out' },
      now
    )
    await saveGateway(
      db,
      { ...gw, name: 'carrier-b', routeSet: 1, port: ports.carrierB, priority: 10, direction: 'out' },
      now
    )
    await saveGateway(
      db,
      { ...gw, name: 'carrier-b-direct', routeSet: 2, port: ports.carrierB, priority: 10, direction: 'out' },
      now
    )
    await saveGateway(
      db,
      { ...gw, name: 'carrier-calling-in', routeSet: 1, port: ports.carrierIn, priority: 0, direction: 'in' },
      now
    )
    await savePrefix(db, {
      prefix: '1',
      routeSet: 1,
      description: 'North America: carrier A, then carrier B'
    })
    await savePrefix(db, {
      prefix: '1800',
      routeSet: 2,
      description: 'toll-free: carrier B only (dev stack)'
    })
  } finally {
    await database.close()
  }
}

export interface CarrierParts {
  /** Kamailio's -A defines for carriers.cfg. */
  readonly kamailioArgs: string[]
  /** Lines for the "stack is running" summary. */
  readonly summary: string[]
}

/** Starts rtpengine and the two carriers' gateways and writes the routes; before Kamailio starts. */
export async function startCarriers(
  children: Children,
  o: { serviceDataDir: string; logsDir: string; databaseUrl: string; ports: Record<CarrierPortKey, number> }
): Promise<CarrierParts> {
  const { ports } = o
  await writeRoutes(o.databaseUrl, ports)
  const rtpe = children.start({
    name: 'rtpengine',
    cmd: RTPENGINE_BIN,
    args: rtpengineArgs({ ngPort: ports.rtpengine, portMin: 30000, portMax: 30999 }),
    output: join(o.logsDir, 'rtpengine.log')
  })
  const deadline = Date.now() + 10_000
  for (;;) {
    const pong = await ngCommand(ports.rtpengine, { command: 'ping' }, 300).catch(() => null)
    if (pong?.result === 'pong') break
    if (rtpe.child.exitCode !== null || Date.now() > deadline)
      throw new StackError(
        `rtpengine did not answer within 10 s (its log: ${join(o.logsDir, 'rtpengine.log')}).`
      )
  }
  const dir = join(o.serviceDataDir, 'carriers')
  mkdirSync(dir, { recursive: true })
  for (const [name, port, hz] of [
    ['a', ports.carrierA, SIMULATED_CARRIERS.a.hz],
    ['b', ports.carrierB, SIMULATED_CARRIERS.b.hz]
  ] as const) {
    const media = mediaPortOf(ports, name)
    const scenario = join(dir, `carrier-${name}.xml`)
    writeFileSync(scenario, gatewayScenario({ answer: 'tone', toneFile: makeTone(dir, hz, 600) }))
    children.start({
      name: `carrier ${name.toUpperCase()}`,
      cmd: 'sipp',
      args: [
        '-sf',
        scenario,
        ...gatewayArgs(port, media),
        '-nostdin',
        '-trace_err',
        '-error_file',
        join(o.logsDir, `carrier-${name}-errors.log`)
      ],
      output: join(o.logsDir, `carrier-${name}.log`)
    })
  }
  return {
    kamailioArgs: ['-A', `RTPENGINE_SOCK="udp:127.0.0.1:${ports.rtpengine}"`],
    summary: [
      `  media relay      rtpengine, control on udp 127.0.0.1:${ports.rtpengine}, media 30000-30999`,
      `  carriers         A on udp 127.0.0.1:${ports.carrierA} (${SIMULATED_CARRIERS.a.hz} Hz tone), B on ${ports.carrierB} (${SIMULATED_CARRIERS.b.hz} Hz):`,
      '                   any +1 number that is no Dialtone line goes to A (B if A is down), +1 800... to B alone;',
      `                   a carrier calls a line with: npm run carrier-call -- <the line's number>`
    ]
  }
}
