/**
 * The dev stack on one machine, shared by `npm start` (the stack, then the app) and `npm run stack` (the servers
 * alone; `--processes N` for N service processes behind HAProxy on PostgreSQL): checks first (Kamailio installed, no other copy on this data folder, every port free), builds, signs a
 * dev release when there is none, then starts the account service (SQLite in its data folder), Kamailio reading
 * the service's database, the update server, and, for `npm start`, the app wired to all three: Electron when its
 * binary is installed, else the web host, which prints the address to open. In development mode the first start
 * of a fresh data folder also makes the demo data (./dev-seeds.ts) and prints its codes once. A child that stops
 * by itself, a check that fails, Ctrl-C or SIGTERM: everything it started is stopped, Kamailio's workers too, and
 * it exits.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { Children, type Part, logTail } from './children'
import { ensureDevRelease } from './dev-release'
import { devSeeds } from './dev-seeds'
import { checkKamailio, checkPorts, type StackLock, takeLock } from './preflight'
import { startEmergency } from './stack-emergency'
import { voicemailPart } from './stack-voicemail'
import { type PortKey, type StackConfig, StackError, readStackConfig } from './stack-config'
import { carrierPorts, checkCarrierPorts, startCarriers } from './stack-carriers'
import { startScaledService } from './stack-scale'
import { logFormat } from '../../src/main/log/pretty'
import { kamailioNanpDefines } from '../../src/server/numbers/nanp-zones'
import { kamailioRateDefines } from '../../src/server/billing/rates'

const ROOT = resolve(import.meta.dirname, '../..')
const BUILT = ['out/main/server.js', 'out/main/updates.js', 'out/main/web.js', 'out/renderer/index.html']
const say = (line: string): boolean => process.stdout.write(`${line}\n`)

function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null // installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD): no Electron here
  }
}

/** Polls check() until it holds; a part that exits first, or the deadline, is a StackError. */
async function ready(part: Part, check: () => Promise<boolean>, ms: number): Promise<void> {
  let exited = false
  void part.exited.then(() => (exited = true))
  const deadline = Date.now() + ms
  while (!exited) {
    if (await check().catch(() => false)) return
    if (Date.now() > deadline)
      throw new StackError(
        `${part.name} did not answer within ${ms / 1000} s${part.log ? ` (its log: ${part.log})` : ''}.`
      )
    await new Promise((r) => setTimeout(r, 100))
  }
  await new Promise(() => undefined) // the exit handler reports it and stops everything
}

const answers = async (url: string, init?: RequestInit): Promise<boolean> =>
  (await fetch(url, { ...init, signal: AbortSignal.timeout(1000) })).ok
/** Any HTTP answer at all (the web host refuses a request without its token, and that is an answer). */
const listening = async (url: string): Promise<boolean> =>
  Boolean(await fetch(url, { signal: AbortSignal.timeout(1000) }))

export interface StackOptions {
  /** `npm start`: the app too. `npm run stack`: the servers alone. */
  readonly withApp: boolean
  /** How the person started it, for the "already running" sentence. */
  readonly command: string
  /** Service processes behind HAProxy on PostgreSQL (`--processes N`); 1: one process on SQLite. */
  readonly processes?: number
  /** `npm start -- --virtual-dongle`: the app shows the virtual dongle whatever its setting says. */
  readonly virtualDongle?: boolean
}

export async function runStack(opts: StackOptions): Promise<void> {
  let lock: StackLock | null = null
  let finished = false
  const children = new Children((part, code) => {
    if (part.name === 'the app' && code === 0) return void finish(0) // the person quit the app
    const tail = part.log ? logTail(part.log) : ''
    void finish(
      1,
      `${part.name[0]?.toUpperCase()}${part.name.slice(1)} stopped by itself (${code === null ? 'killed by a signal' : `exit code ${code}`}), so everything else was stopped too.` +
        (tail ? `\nThe end of its log (${part.log}):\n${tail}` : '')
    )
  })
  async function finish(code: number, message?: string): Promise<void> {
    if (finished) return
    finished = true
    if (message) process.stderr.write(`${message}\n`)
    const left = await children.stop()
    lock?.release()
    // After Ctrl-C (or the app quit) the person sees that the stop is done, not only that the prompt came back.
    if (left.length > 0)
      process.stderr.write(
        `Some processes Dialtone started would not stop, even killed: see them with \`pgrep -a -g ${left.join(',')}\` (their process groups).\n`
      )
    else if (code === 0) say('Stopped: nothing Dialtone started is still running.')
    process.exit(code)
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void finish(0))
  process.on('uncaughtException', (err) => void finish(1, `Dialtone's stack failed: ${err.message}`))

  try {
    const config = readStackConfig()
    checkKamailio(config.kamailioBin)
    lock = takeLock(config.serviceDataDir, opts.command)
    const app = opts.withApp ? pickApp(config) : null
    const ports: PortKey[] = [
      'service',
      'sip',
      'ws',
      'update',
      'psap',
      'addressTest',
      ...(app === 'web' ? (['web'] as const) : [])
    ]
    await checkPorts(config, ports)
    await checkCarrierPorts(carrierPorts())
    await build(config, children)
    const urls = await startServers(config, children, opts.processes ?? 1)
    if (!opts.withApp) {
      say(
        `\nStart the app against it with:\n  ${Object.entries(urls.appEnv)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')} node out/main/web.js`
      )
      say('\nCtrl-C stops everything.')
      return
    }
    await startApp(config, children, app === 'electron' ? electronBinary() : null, urls.appEnv, {
      virtualDongle: opts.virtualDongle === true
    })
  } catch (err) {
    if (children.isStopping) return
    await finish(
      1,
      err instanceof StackError ? err.message : `Dialtone's stack could not start: ${String(err)}`
    )
  }
}

function pickApp(config: StackConfig): 'electron' | 'web' {
  const electron = electronBinary()
  if (config.app === 'electron' && !electron)
    throw new StackError(
      "Electron's binary is not installed: fetch it with `node node_modules/electron/install.js`, or use the web host (DIALTONE_START_APP=web)."
    )
  return config.app === 'web' || !electron ? 'web' : 'electron'
}

async function build(config: StackConfig, children: Children): Promise<void> {
  if (!config.noBuild) {
    // The package's own bin entry (its exports hide the file from require.resolve).
    const pkgDir = join(ROOT, 'node_modules', 'electron-vite')
    const { bin: bins } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
      bin: string | Record<string, string>
    }
    const bin = join(pkgDir, typeof bins === 'string' ? bins : (bins['electron-vite'] ?? ''))
    const part = children.start({
      name: 'the build',
      cmd: process.execPath,
      args: [bin, 'build'],
      output: 'inherit',
      finishes: true
    })
    if ((await part.exited) !== 0 && !children.isStopping)
      throw new StackError('The build failed (its errors are above), so nothing was started.')
  }
  const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)))
  if (missing.length > 0)
    throw new StackError(`The app is not built (no ${missing.join(', ')}): run \`npm run build\` first.`)
}

async function startServers(
  config: StackConfig,
  children: Children,
  processes: number
): Promise<{ appEnv: Record<string, string> }> {
  const { ports, serviceDataDir, logsDir } = config
  const release = ensureDevRelease(config.releasesDir, config.devKeysDir)
  const accountingDir = join(serviceDataDir, 'accounting')
  const runDir = join(serviceDataDir, 'kamailio')
  const serviceUrl = `http://127.0.0.1:${ports.service}`
  const wsUrl = `ws://127.0.0.1:${ports.ws}`
  const rpcUrl = `http://127.0.0.1:${ports.ws}/RPC`
  const updateUrl = `http://127.0.0.1:${ports.update}/`

  const voicemail = await voicemailPart()
  // The service first: it creates the database and sets WAL; Kamailio must never create it.
  const serviceEnv = {
    ...voicemail.serviceEnv,
    DIALTONE_SERVICE_PORT: String(ports.service),
    DIALTONE_SERVICE_DATA_DIR: serviceDataDir,
    DIALTONE_SIP_DOMAIN: config.sipDomain,
    DIALTONE_SIP_WS_URL: wsUrl,
    DIALTONE_KAMAILIO_RPC_URL: rpcUrl,
    DIALTONE_ACCOUNTING_DIR: accountingDir
  }
  // One process on SQLite, or (--processes N) N processes on PostgreSQL behind HAProxy (./stack-scale.ts).
  let databaseUrl = `sqlite:${join(serviceDataDir, 'service.db')}`
  let kamailioDbArgs = [
    ...['-A', `DBURL="sqlite:///${join(serviceDataDir, 'service.db')}"`],
    ...['-A', `ACC_DBURL="flatstore:${accountingDir}"`]
  ]
  if (processes > 1) {
    const scaled = await startScaledService(config, children, serviceEnv, processes, (part, url) =>
      ready(part, () => answers(url), 30_000)
    )
    ;({ databaseUrl, kamailioDbArgs } = scaled)
    delete (serviceEnv as Partial<typeof serviceEnv>).DIALTONE_ACCOUNTING_DIR
    Object.assign(serviceEnv, scaled.serviceEnv)
  } else {
    const service = children.start({
      name: 'the account service',
      cmd: process.execPath,
      args: [join(ROOT, 'out/main/server.js')],
      env: serviceEnv,
      output: join(logsDir, 'service.log')
    })
    await ready(service, () => answers(`${serviceUrl}/v1/health`), 20_000)
  }

  mkdirSync(accountingDir, { recursive: true })
  mkdirSync(runDir, { recursive: true })
  const carriers = await startCarriers(children, {
    serviceDataDir,
    logsDir,
    databaseUrl,
    ports: carrierPorts()
  })
  const emergency = await startEmergency(config, children, databaseUrl)
  const kamailio = children.start({
    name: 'Kamailio',
    cmd: config.kamailioBin,
    args: [
      ...[
        '-DD',
        '-E',
        '-f',
        join(ROOT, 'resources/kamailio/kamailio.cfg'),
        '-Y',
        runDir,
        '-w',
        runDir,
        '-m',
        '64',
        // TLSF: constant-time allocation; Kamailio's default (qm) searched its free lists for 13% of its CPU once
        // shared memory held many registrations (docs/scaling.md, REGISTER/s).
        '-x',
        'tlsf'
      ],
      ...kamailioDbArgs,
      ...carriers.kamailioArgs,
      ...[
        '-A',
        `SIP_PORT=${ports.sip}`,
        '-A',
        `WS_PORT=${ports.ws}`,
        '-A',
        `SIP_DOMAIN="${config.sipDomain}"`
      ],
      // Other NANP countries and premium rate, as the service rates them (services.cfg needs them to start).
      ...kamailioNanpDefines(),
      // What a minute abroad costs, from the rating's table (credit.cfg needs it to start).
      ...kamailioRateDefines(),
      ...emergency.kamailioArgs,
      ...voicemail.kamailioArgs
    ],
    env: { TZ: 'UTC' },
    output: join(logsDir, 'kamailio.log')
  })
  const uptime = { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', method: 'core.uptime', id: 1 }) }
  await ready(kamailio, () => answers(rpcUrl, uptime), 15_000)

  const updates = children.start({
    name: 'the update server',
    cmd: process.execPath,
    args: [join(ROOT, 'out/main/updates.js'), '--dir', config.releasesDir, '--port', String(ports.update)],
    output: join(logsDir, 'updates.log')
  })
  await ready(updates, () => answers(`${updateUrl}manifest.json`), 10_000)

  say(`\nDialtone's stack is running (data in ${config.appDataDir}):`)
  if (processes > 1)
    say(`  layout           ${processes} service processes behind HAProxy, on PostgreSQL (${databaseUrl})`)
  say(
    `  account service  ${serviceUrl}/v1/openapi.json (its API)   dev mailbox (emailed codes): ${serviceUrl}/dev/mailbox`
  )
  say(`  SIP server       Kamailio on udp 127.0.0.1:${ports.sip} and ${wsUrl}`)
  say(`  update server    ${updateUrl}manifest.json (${release.summary})`)
  for (const line of carriers.summary) say(line)
  for (const line of emergency.summary) say(line)
  for (const line of voicemail.summary) say(line)
  say(`  logs             ${logsDir}`)
  // The demo data, in development mode: printed here (this terminal), never into the logs above.
  try {
    for (const line of await devSeeds({ ...process.env, ...serviceEnv }, serviceDataDir)) say(line)
  } catch (err) {
    process.stderr.write(`The demo data could not be made (the stack runs without it): ${String(err)}\n`)
  }
  return {
    appEnv: {
      DIALTONE_SERVICE_URL: serviceUrl,
      DIALTONE_UPDATE_URL: updateUrl,
      // Shown beside "we sent a code": where the codes are on this stack (the service's dev mailbox, above).
      DIALTONE_DEV_MAILBOX_URL: `${serviceUrl}/dev/mailbox`,
      DIALTONE_UPDATE_KEYS_DIR: release.ours ? config.devKeysDir : (config.ownKeysDir ?? config.devKeysDir)
    }
  }
}

/** The way from the open app to a dial tone, for a person with no dongle at hand (README, "To a dial tone"). */
const toADialTone = (virtualDongle: boolean): string =>
  (virtualDongle
    ? 'The virtual dongle is on (--virtual-dongle): follow the setup wizard on the Device page: the trial’s code\n'
    : 'No dongle plugged in? Turn on Settings > Show a virtual dongle (or start with `npm start -- --virtual-dongle`),\n' +
      'then follow the setup wizard on the Device page: the trial’s code\n') +
  'is in the dev mailbox above, and "Lift the handset" on the virtual handset gives the dial tone.'

async function startApp(
  config: StackConfig,
  children: Children,
  electron: string | null,
  env: Record<string, string>,
  o: { virtualDongle: boolean }
): Promise<void> {
  const appArgs = o.virtualDongle ? ['--virtual-dongle'] : []
  if (electron) {
    say(
      `\n${toADialTone(o.virtualDongle)}\nStarting the app (Electron). Quitting it, or Ctrl-C here, stops everything.`
    )
    children.start({ name: 'the app', cmd: electron, args: [ROOT, ...appArgs], env, output: 'inherit' })
    return
  }
  say('\nElectron is not installed on this machine: starting the web host instead.')
  // Its output reaches this terminal through a pipe, where it would log JSON: readable lines when this is one.
  const format = logFormat(process.env, process.stdout.isTTY === true)
  const web = children.start({
    name: 'the app',
    cmd: process.execPath,
    args: [
      join(ROOT, 'out/main/web.js'),
      '--port',
      String(config.ports.web),
      '--data-dir',
      config.appDataDir,
      ...appArgs
    ],
    env: { ...env, DIALTONE_LOG_FORMAT: format },
    output: 'pipe'
  })
  web.child.stdout?.pipe(process.stdout)
  await ready(web, () => listening(`http://127.0.0.1:${config.ports.web}/`), 20_000)
  say(`${toADialTone(o.virtualDongle)}\n\nCtrl-C stops everything.`)
}
