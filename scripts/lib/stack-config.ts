/**
 * What the dev stack (`npm start`, `npm run stack`) runs with: ports, folders, the Kamailio binary and which app
 * to open, from the environment with the embedded defaults. Each port and folder has one variable, so tests can
 * run a whole stack on free ports in a temporary folder. A bad value is one plain sentence, before anything starts.
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { dataDirFor } from '../../src/shared/data-dir'

/** The parts that listen, in start order, with their variable and what a person calls them. */
export const PORTS = [
  {
    key: 'service',
    variable: 'DIALTONE_SERVICE_PORT',
    fallback: 4780,
    proto: 'tcp',
    name: 'the account service'
  },
  { key: 'sip', variable: 'DIALTONE_SIP_PORT', fallback: 5060, proto: 'udp', name: 'Kamailio, SIP over UDP' },
  {
    key: 'ws',
    variable: 'DIALTONE_WS_PORT',
    fallback: 5066,
    proto: 'tcp',
    name: 'Kamailio, SIP over WebSocket'
  },
  {
    key: 'update',
    variable: 'DIALTONE_UPDATE_PORT',
    fallback: 4783,
    proto: 'tcp',
    name: 'the update server'
  },
  { key: 'web', variable: 'DIALTONE_WEB_PORT', fallback: 4781, proto: 'tcp', name: 'the web host' },
  // 911 and 933 (issue 22): scripts/lib/stack-emergency.ts
  {
    key: 'psap',
    variable: 'DIALTONE_PSAP_PORT',
    fallback: 5070,
    proto: 'udp',
    name: 'the simulated 911 PSAP'
  },
  {
    key: 'addressTest',
    variable: 'DIALTONE_ADDRESS_TEST_PORT',
    fallback: 5071,
    proto: 'udp',
    name: 'the 911 address test line, 933'
  }
] as const

export type PortKey = (typeof PORTS)[number]['key']
export type AppMode = 'auto' | 'web' | 'electron'

export interface StackConfig {
  readonly ports: Readonly<Record<PortKey, number>>
  /** The app's data folder (settings, secrets); the service, releases and dev keys live under it by default. */
  readonly appDataDir: string
  readonly serviceDataDir: string
  readonly releasesDir: string
  /** The dev release's signing key (private, 0600) and its public half, trusted by the app started here. */
  readonly devKeysDir: string
  /** DIALTONE_UPDATE_KEYS_DIR: the public keys for a release signed with your own key. */
  readonly ownKeysDir: string | null
  readonly logsDir: string
  readonly kamailioBin: string
  readonly sipDomain: string
  /** DIALTONE_START_NO_BUILD=1: use out/ as it is (tests, after `npm run build`). */
  readonly noBuild: boolean
  /** DIALTONE_START_APP: electron, web, or auto (Electron when its binary is installed). */
  readonly app: AppMode
}

export class StackError extends Error {}

export function readStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const ports = {} as Record<PortKey, number>
  for (const p of PORTS) {
    const raw = env[p.variable]
    const n = raw === undefined || raw === '' ? p.fallback : Number(raw)
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new StackError(`${p.variable} must be a port number from 1 to 65535, not '${raw}'.`)
    ports[p.key] = n
  }
  // SIP over UDP may share its number with a TCP port; two TCP parts may not.
  for (const [i, p] of PORTS.entries())
    for (const q of PORTS.slice(i + 1))
      if (p.proto === q.proto && ports[p.key] === ports[q.key])
        throw new StackError(`${p.variable} and ${q.variable} are both set to port ${ports[p.key]}.`)
  const app = (env.DIALTONE_START_APP ?? 'auto') as AppMode
  if (!['auto', 'web', 'electron'].includes(app))
    throw new StackError(`DIALTONE_START_APP must be auto, web or electron, not '${env.DIALTONE_START_APP}'.`)
  const appDataDir = resolve(dataDirFor(env, process.platform, homedir()))
  const serviceDataDir = resolve(env.DIALTONE_SERVICE_DATA_DIR ?? join(appDataDir, 'service'))
  return {
    ports,
    appDataDir,
    serviceDataDir,
    releasesDir: resolve(env.DIALTONE_UPDATE_DIR ?? join(appDataDir, 'releases')),
    devKeysDir: join(appDataDir, 'dev-update-key'),
    ownKeysDir: env.DIALTONE_UPDATE_KEYS_DIR ? resolve(env.DIALTONE_UPDATE_KEYS_DIR) : null,
    logsDir: join(serviceDataDir, 'logs'),
    kamailioBin: env.DIALTONE_KAMAILIO_BIN ?? '/usr/sbin/kamailio',
    sipDomain: env.DIALTONE_SIP_DOMAIN ?? 'dialtone.test',
    noBuild: env.DIALTONE_START_NO_BUILD === '1',
    app
  }
}
