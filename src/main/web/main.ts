/**
 * Entry of the web host (out/main/web.js): `node out/main/web.js [--port N] [--data-dir DIR] [--virtual-dongle]`.
 * Prints the address to open. The token is random per start unless DIALTONE_WEB_TOKEN is set (tests).
 *
 * Order matters for the first paint: the file server listens first, with only Node's own modules loaded. The app
 * brain (USB and HID, the store, the service client: ./brain.ts) is imported and started when the first page
 * asks for its socket, or once the file server has been idle for a second: loading it holds Node's one thread for
 * most of a second, so a page opened at once is drawn first and a page opened later finds it ready. The socket is
 * answered once the brain is up.
 */
import { randomBytes } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { entryArgs, valuesOrExit } from '../../shared/entry-args'
import { startWebHost } from './server'

const here = dirname(fileURLToPath(import.meta.url))
const args = entryArgs(
  () =>
    parseArgs({
      options: {
        port: { type: 'string', default: process.env.DIALTONE_WEB_PORT ?? '4781' },
        'data-dir': { type: 'string' },
        renderer: { type: 'string', default: resolve(here, '../renderer') },
        'virtual-dongle': { type: 'boolean', default: false },
        help: { type: 'boolean' }
      }
    }),
  'usage: node out/main/web.js [--port 4781] [--data-dir DIR] [--virtual-dongle] [--renderer DIR]'
)
const values = valuesOrExit(args, process)

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not '${values.port}'`)
  process.exit(2)
}
const token = process.env.DIALTONE_WEB_TOKEN ?? randomBytes(24).toString('base64url')
/** How long the file server is idle before the brain loads without a page asking. */
const BRAIN_WHEN_IDLE_MS = 1000
let loadBrain = (): void => undefined
const brain = new Promise<void>((resolve) => (loadBrain = resolve)).then(async () => {
  const { startBrain } = await import('./brain')
  return startBrain({
    dataDir: values['data-dir'],
    forceVirtualDongle: values['virtual-dongle'],
    resources: resolve(here, '../../resources')
  })
})
let idle = setTimeout(() => loadBrain(), BRAIN_WHEN_IDLE_MS)
const host = await startWebHost({
  app: brain.then((b) => b.app),
  log: brain.then((b) => b.log),
  rendererDir: values.renderer,
  token,
  port,
  onActivity: (kind) => {
    clearTimeout(idle)
    if (kind === 'socket') loadBrain()
    else idle = setTimeout(() => loadBrain(), BRAIN_WHEN_IDLE_MS)
  }
})
process.stdout.write(`\nDialtone is running (web host). Open:\n\n  ${host.url}\n\n`)
// A brain that cannot start (a broken data directory, say) ends the host with its reason, as before.
const { app, log } = await brain.catch((err: unknown) => {
  console.error('the web host could not start:', err)
  return process.exit(1)
})
const { logFailure } = await import('../log/logger')

const stop = async (): Promise<void> => {
  await app.dispose()
  await host.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop().catch(logFailure(log, 'stopping the web host')))
process.on('SIGTERM', () => void stop().catch(logFailure(log, 'stopping the web host')))
