/**
 * The service's log (main.ts): pino JSON lines at DIALTONE_LOG_LEVEL (info by default), secrets redacted, and
 * requests logged by their path without the query string (./http/request-log.ts). Tests build the same logger on
 * a stream of their own to check what a running service writes.
 */
import pino, { type DestinationStream, type Logger } from 'pino'
import { REQUEST_LOG_SERIALIZERS } from './http/request-log'

/** The logger writing to `destination` (stdout when none). */
export function serviceLogger(level: string = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: ['req.headers.authorization', '*.password', '*.token', '*.code'], censor: '[secret]' },
    serializers: REQUEST_LOG_SERIALIZERS
  }
  return destination ? pino(options, destination) : pino(options)
}
