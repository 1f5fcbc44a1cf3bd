/**
 * The web host's app brain, loaded by main.ts after the file server listens: the logger, the stores, the USB and
 * HID ports and the app itself, started. Kept in its own module so that importing it is what loads them.
 */
import { mkdirSync } from 'node:fs'
import { version } from '../../../package.json'
import { logUnhandledRejections } from '../../shared/rejections'
import { createApp, type DialtoneApp } from '../app'
import { createLogger, type Logger } from '../log/logger'
import { createNodePorts } from '../node-ports'
import { defaultDataDir } from '../paths'
import { createConfStore } from '../store/conf-store'
import { fileVault } from '../store/file-vault'

export interface BrainOptions {
  readonly dataDir: string | undefined
  readonly forceVirtualDongle: boolean
  /** The app's resources directory (tone plans, device pictures). */
  readonly resources: string
}

export function startBrain(options: BrainOptions): { app: DialtoneApp; log: Logger } {
  const dataDir = options.dataDir ?? defaultDataDir()
  mkdirSync(dataDir, { recursive: true })
  const log = createLogger()
  logUnhandledRejections(process, (line) => log.error(line))
  const app = createApp({
    ...createNodePorts(
      { host: 'web', version, dataDir, electronVersion: null },
      createConfStore(dataDir),
      log,
      options.resources,
      fileVault(dataDir)
    ),
    forceVirtualDongle: options.forceVirtualDongle
  })
  app.start()
  return { app, log }
}
