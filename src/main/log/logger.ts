/**
 * The process logger: pino, with every field that can hold a secret redacted at any depth we log.
 * Secrets (passwords, SIP credentials, session tokens) must never reach a log line; redaction here is the
 * net under the rule that code does not log them in the first place.
 */
import pino, { type Logger } from 'pino'

export type { Logger }

const SECRET_KEYS = [
  'password',
  'newPassword',
  'token',
  'sessionToken',
  'secret',
  'authorization',
  'cookie',
  'ha1',
  'ha1b',
  'sipPassword',
  'code',
  'activationCode',
  'cardNumber',
  'cvc'
]

/** pino paths for each key at the top level and up to two levels down. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`])

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.DIALTONE_LOG_LEVEL ?? 'info'
  const config = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'dialtone' } }
  return options.destination ? pino(config, options.destination) : pino(config)
}

/** A logger that writes nothing, for tests that do not look at logs. */
export const silentLogger = (): Logger => pino({ level: 'silent' })

/**
 * The rejection handler for a promise deliberately not awaited: `void p.catch(logFailure(log, 'rescan'))`, so a
 * failure is seen in the log rather than dropped (or, unhandled, taking the process down).
 */
export const logFailure =
  (log: Pick<Logger, 'warn'>, what: string) =>
  (err: unknown): void => {
    log.warn({ err }, `${what} failed`)
  }
