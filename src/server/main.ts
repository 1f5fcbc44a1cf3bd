/** Entry of the account service (out/main/server.js): `node out/main/server.js`, loopback by default. */
import { buildServer } from './app'

const port = Number(process.env.DIALTONE_SERVICE_PORT ?? 4780)
const host = process.env.DIALTONE_SERVICE_HOST ?? '127.0.0.1'
const server = buildServer()
await server.listen({ port, host })
process.stdout.write(`Dialtone service listening on http://${host}:${port}\n`)
const stop = async (): Promise<void> => {
  await server.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
