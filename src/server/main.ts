/**
 * Entry of the account service (out/main/server.js): `npm run server`. Loopback by default; configuration from
 * the environment (see config.ts and docs/service.md). Logs are JSON lines (pino) with secrets redacted and requests
 * by their path alone (service-logger.ts).
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { homedir } from 'node:os'
import { dataDirFor } from '../shared/data-dir'
import { entryArgs, valuesOrExit } from '../shared/entry-args'
import { logUnhandledRejections } from '../shared/rejections'
import { ConfigError, loadConfig } from './config'
import { missingPdfFonts } from './pdf/fonts'
import { startService } from './service'
import { serviceLogger } from './service-logger'
import { voicemailConfig } from './voicemail/config'

// No flags: the service is configured by the environment (docs/service.md). Anything else on the command line is
// refused before a database is opened or a port taken, rather than ignored.
const args = entryArgs(
  () => parseArgs({ options: { help: { type: 'boolean' } } }),
  'usage: node out/main/server.js (npm run server): the account service, configured by the environment (DIALTONE_DATABASE_URL, DIALTONE_SERVICE_PORT, ...: docs/service.md)'
)
valuesOrExit(args, process)

const logger = serviceLogger(process.env.DIALTONE_LOG_LEVEL ?? 'info')
const log = {
  info: (m: string) => logger.info(m),
  warn: (m: string) => logger.warn(m),
  error: (m: string) => logger.error(m)
}
logUnhandledRejections(process, log.error)

try {
  const dataDir =
    process.env.DIALTONE_SERVICE_DATA_DIR ??
    join(dataDirFor(process.env, process.platform, homedir()), 'service')
  const config = loadConfig(process.env, dataDir)
  // Statements and invoices are drawn in these fonts: refuse now rather than fail a person's download later.
  const missingFonts = missingPdfFonts()
  if (missingFonts.length > 0)
    throw new ConfigError(
      `the PDF fonts ${missingFonts.join(', ')} are missing: install Debian's fonts-dejavu-core (scripts/setup.sh) or set DIALTONE_PDF_FONT_DIR`
    )
  const { host, port } = config.listen
  const service = await startService(config, {
    log,
    fastifyLogger: logger,
    voicemail: voicemailConfig(process.env)
  })
  // A deep accept queue: a burst of new clients (1,000 at once in the load benchmark) is queued, not reset.
  await service.app.listen({ port, host, backlog: 2048 })
  process.stdout.write(`Dialtone service listening on http://${host}:${port}\n`)
  if (config.devMailbox)
    process.stdout.write(`Dev mailbox (activation codes): http://${host}:${port}/dev/mailbox\n`)
  const stop = async (): Promise<void> => {
    await service.close()
    process.exit(0)
  }
  process.on(
    'SIGINT',
    () =>
      void stop().catch((err: unknown) =>
        log.error(`stopping the service failed: ${err instanceof Error ? err.message : String(err)}`)
      )
  )
  process.on(
    'SIGTERM',
    () =>
      void stop().catch((err: unknown) =>
        log.error(`stopping the service failed: ${err instanceof Error ? err.message : String(err)}`)
      )
  )
} catch (err) {
  process.stderr.write(
    `Dialtone service could not start: ${err instanceof Error ? err.message : String(err)}\n`
  )
  process.exit(1)
}
