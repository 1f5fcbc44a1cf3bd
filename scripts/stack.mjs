#!/usr/bin/env node
/**
 * `npm run stack`: the dev stack on one machine. Builds, starts the account service on its embedded default
 * (SQLite in the data folder) and then Kamailio with resources/kamailio/kamailio.cfg reading the service's
 * database (the service creates it and sets WAL first; Kamailio must never create it), and the update server
 * for signed releases (docs/updates.md). Ctrl-C stops them all.
 *   DIALTONE_SERVICE_PORT (4780)  DIALTONE_SIP_PORT (5060, UDP)  DIALTONE_WS_PORT (5066, SIP over WebSocket)
 *   DIALTONE_UPDATE_PORT (4783)   DIALTONE_SERVICE_DATA_DIR (the OS data folder + /service)
 *   DIALTONE_UPDATE_DIR (the OS data folder + /releases)
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

const env = process.env
const servicePort = env.DIALTONE_SERVICE_PORT ?? '4780'
const sipPort = env.DIALTONE_SIP_PORT ?? '5060'
const wsPort = env.DIALTONE_WS_PORT ?? '5066'
const updatePort = env.DIALTONE_UPDATE_PORT ?? '4783'
const dataDir = resolve(
  env.DIALTONE_SERVICE_DATA_DIR ??
    join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'dialtone', 'service')
)
const accDir = join(dataDir, 'accounting')
const runDir = join(dataDir, 'kamailio')
mkdirSync(accDir, { recursive: true })
mkdirSync(runDir, { recursive: true })

if (!existsSync('/usr/sbin/kamailio')) {
  console.error(
    'Kamailio is not installed. Run `bash scripts/setup.sh` (it installs kamailio and its modules).'
  )
  process.exit(1)
}
if (spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1)

const children = []
function start(cmd, args, extra, opts = {}) {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...env, ...extra }, ...opts })
  children.push(child)
  child.on('exit', (code) => {
    console.error(`${cmd} exited (${code}); stopping the stack`)
    stop(code ?? 1)
  })
  return child
}
function stop(code = 0) {
  for (const c of children) {
    try {
      process.kill(c.spawnargs[0].endsWith('kamailio') ? -c.pid : c.pid, 'SIGTERM')
    } catch {
      /* already gone */
    }
  }
  process.exit(code)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

start(process.execPath, ['out/main/server.js'], {
  DIALTONE_SERVICE_PORT: servicePort,
  DIALTONE_SERVICE_DATA_DIR: dataDir,
  DIALTONE_SIP_WS_URL: `ws://127.0.0.1:${wsPort}`,
  DIALTONE_KAMAILIO_RPC_URL: `http://127.0.0.1:${wsPort}/RPC`,
  DIALTONE_ACCOUNTING_DIR: accDir
})
const deadline = Date.now() + 20_000
for (;;) {
  try {
    if ((await fetch(`http://127.0.0.1:${servicePort}/v1/health`)).ok) break
  } catch {
    /* not yet */
  }
  if (Date.now() > deadline) {
    console.error('the service did not answer within 20 s')
    stop(1)
  }
  await new Promise((r) => setTimeout(r, 100))
}
start(
  '/usr/sbin/kamailio',
  [
    '-DD',
    '-E',
    '-f',
    resolve('resources/kamailio/kamailio.cfg'),
    '-Y',
    runDir,
    '-w',
    runDir,
    '-m',
    '64',
    '-A',
    `DBURL="sqlite:///${join(dataDir, 'service.db')}"`,
    '-A',
    `ACC_DBURL="flatstore:${accDir}"`,
    '-A',
    `SIP_PORT=${sipPort}`,
    '-A',
    `WS_PORT=${wsPort}`
  ],
  { TZ: 'UTC' },
  { detached: true }
)
console.log(`Kamailio: SIP udp:127.0.0.1:${sipPort}, WebSocket ws://127.0.0.1:${wsPort}; data in ${dataDir}`)
start(process.execPath, ['out/main/updates.js', '--port', updatePort], {})
console.log(
  `Update server: http://127.0.0.1:${updatePort}/ (start the app with DIALTONE_UPDATE_URL=http://127.0.0.1:${updatePort}/manifest.json)`
)
