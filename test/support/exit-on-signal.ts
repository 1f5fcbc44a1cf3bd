/**
 * Ctrl-C (SIGINT) or SIGTERM ends a plain Node process without its 'exit' handlers, and those are what stop the
 * helpers started in their own process groups (Kamailio and rtpengine: kamailio.ts, rtpengine.ts), which a
 * terminal's Ctrl-C does not reach. A benchmark stopped by Ctrl-C left Kamailio running. exitOnSignals() makes
 * the signal an ordinary exit (code 130 or 143), so those handlers run. Only in a process of its own: vitest
 * handles its workers' signals itself, and a worker thread gets none.
 */
import { isMainThread } from 'node:worker_threads'

let installed = false

export function exitOnSignals(): void {
  if (installed || !isMainThread || process.env.VITEST !== undefined) return
  installed = true
  process.once('SIGINT', () => process.exit(130))
  process.once('SIGTERM', () => process.exit(143))
}
