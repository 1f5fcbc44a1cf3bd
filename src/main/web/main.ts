/**
 * Entry of the web host (out/main/web.js): `node out/main/web.js [--port N] [--data-dir DIR] [--virtual-dongle]`.
 * Prints the address to open. The token is random per start unless DIALTONE_WEB_TOKEN is set (tests).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { version } from '../../../package.json'
import { logUnhandledRejections } from '../../shared/rejections'
import { createApp } from '../app'
import { createLogger, logFailure } from '../log/logger'
import { createNodePorts } from '../node-ports'
import { defaultDataDir } from '../paths'
import { createConfStore } from '../store/conf-store'
import { fileVault } from '../store/file-vault'
import { startWebHost } from './server'

const here = dirname(fileURLToPath(import.meta.url))
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.DIALTONE_WEB_PORT ?? '4781' },
    'data-dir': { type: 'string' },
    renderer: { type: 'string', default: resolve(here, '../renderer') },
    'virtual-dongle': { type: 'boolean', default: false }
  }
})

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not '${values.port}'`)
  process.exit(2)
}
const dataDir = values['data-dir'] ?? defaultDataDir()
mkdirSync(dataDir, { recursive: true })
const log = createLogger()
logUnhandledRejections(process, (line) => log.error(line))
const token = process.env.DIALTONE_WEB_TOKEN ?? randomBytes(24).toString('base64url')
const app = createApp({
  ...createNodePorts(
    { host: 'web', version, dataDir, electronVersion: null },
    createConfStore(dataDir),
    log,
    resolve(here, '../../resources'),
    fileVault(dataDir)
  ),
  forceVirtualDongle: values['virtual-dongle']
})
app.start()
const host = await startWebHost({ app, rendererDir: values.renderer, token, port, log })
process.stdout.write(`\nDialtone is running (web host). Open:\n\n  ${host.url}\n\n`)

const stop = async (): Promise<void> => {
  await app.dispose()
  await host.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop().catch(logFailure(log, 'stopping the web host')))
process.on('SIGTERM', () => void stop().catch(logFailure(log, 'stopping the web host')))
