/**
 * Log lines for a person at a terminal: pino's own prettifier (pino-pretty), given the JSON line pino has already
 * redacted (pino removes secrets before it serialises), as `[05:22:02] WARN: device rescan failed {"port":3}`, an
 * error's stack below it. Not a terminal (a file, a pipe, CI): the JSON lines stay as they are, for tools
 * (createLogger decides, see logFormat).
 */
import { createRequire } from 'node:module'
import type { DestinationStream } from 'pino'
import type { PrettyStream, build } from 'pino-pretty'

export type LogFormat = 'pretty' | 'json'

/**
 * DIALTONE_LOG_FORMAT when set (the dev stack sets it for the app whose output it passes to its own terminal),
 * else readable when the output is a terminal.
 */
export function logFormat(env: NodeJS.ProcessEnv, isTerminal: boolean): LogFormat {
  const chosen = env.DIALTONE_LOG_FORMAT
  if (chosen === 'pretty' || chosen === 'json') return chosen
  return isTerminal ? 'pretty' : 'json'
}

/**
 * pino-pretty is loaded here, when a terminal asks for it, not with the logger: a packaged app (output not a terminal)
 * never needs it, and loading it cost 13-17 ms of every start (measured with `require('pino-pretty')`, load 3.6).
 */
const loadPretty = (): typeof build => createRequire(import.meta.url)('pino-pretty') as typeof build

/**
 * A pino destination writing readable lines to `out`, synchronously (a line is on the terminal before the next
 * statement runs, as with the JSON destination). The process's identity fields are left out: one app writes to its
 * own terminal; the area (device, sip, setup...) leads the message.
 */
export const prettyDestination = (out: DestinationStream): PrettyStream =>
  loadPretty()({
    destination: out,
    sync: true,
    colorize: false,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app,area',
    messageFormat: '{if area}{area} {end}{msg}',
    singleLine: true
  })
