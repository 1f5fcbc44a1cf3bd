/**
 * Entry of the dev stack's update server (out/main/updates.js):
 *   node out/main/updates.js [--dir DIR] [--port 4783]
 * Serves DIR (default: the data folder's `releases/`, made if missing) on 127.0.0.1; put a release there with
 * `npm run sign-update -- ... --dir DIR`, and point the app at it with DIALTONE_UPDATE_URL.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { entryArgs, valuesOrExit } from '../../shared/entry-args'
import { defaultDataDir } from '../paths'
import { startUpdateServer } from './update-server'

const args = entryArgs(
  () =>
    parseArgs({
      options: {
        dir: { type: 'string', default: process.env.DIALTONE_UPDATE_DIR },
        port: { type: 'string', default: process.env.DIALTONE_UPDATE_PORT ?? '4783' },
        help: { type: 'boolean' }
      }
    }),
  'usage: node out/main/updates.js [--dir DIR] [--port 4783]'
)
const values = valuesOrExit(args, process)
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not '${values.port}'`)
  process.exit(2)
}
const dir = resolve(values.dir ?? join(defaultDataDir(), 'releases'))
mkdirSync(dir, { recursive: true })
const server = await startUpdateServer(dir, port)
process.stdout.write(`Dialtone update server: ${server.url} serving ${dir}\n`)
const stop = (): void =>
  void server
    .close()
    .then(() => process.exit(0))
    .catch((err: unknown) => console.error('stopping the update server failed', err))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
