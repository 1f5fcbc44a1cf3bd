/**
 * The process logger: pino, with every field that can hold a secret redacted at any depth we log.
 * Secrets (passwords, SIP credentials, session tokens) must never reach a log line; redaction here is the
 * net under the rule that code does not log them in the first place.
 */
import pino, { type Logger } from 'pino'
import { logFormat, prettyDestination } from './pretty'

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

/**
 * To stdout by default: readable lines at a terminal, JSON lines otherwise (logFormat); `env` and `destination`
 * are for tests. A destination that says it is a terminal (isTTY) counts as one.
 */
export function createLogger(
  options: {
    level?: string
    destination?: pino.DestinationStream & { isTTY?: boolean }
    env?: NodeJS.ProcessEnv
  } = {}
): Logger {
  const env = options.env ?? process.env
  const level = options.level ?? env.DIALTONE_LOG_LEVEL ?? 'info'
  const config = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'dialtone' } }
  const out = options.destination ?? process.stdout
  if (logFormat(env, out.isTTY === true) === 'pretty') return pino(config, prettyDestination(out))
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
