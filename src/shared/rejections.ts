/**
 * The last net under `void p.catch(log)`: a promise that rejects with nobody handling it is logged as one line, and
 * the process goes on (the service keeps serving, the app keeps the line up) instead of dying on a failure that was
 * already over. Pure: each host passes its process and its log (src/server/main.ts, src/main/web/main.ts,
 * src/main/electron/main.ts). The line holds only the error's name, message and stack, with anything shaped like a
 * secret masked: an error's other fields (a request body, a config) are never written.
 */

/** What a host's process offers: Node's process fits. */
export interface RejectionSource {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown
}

const MAX_CHARS = 4000

/** Values that must not reach a log, by shape: session tokens, bearer headers, secrets in URLs, JSON and URIs. */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/\bdts_[A-Za-z0-9_-]+/g, 'dts_[secret]'],
  [/\b(Bearer\s+)\S+/gi, '$1[secret]'],
  [/([?&](?:token|password|code|secret|key)=)[^&\s#"']+/gi, '$1[secret]'],
  [
    /("(?:password|newPassword|token|sessionToken|secret|code|ha1|ha1b|sipPassword|cardNumber|cvc)"\s*:\s*)"[^"]*"/gi,
    '$1"[secret]"'
  ],
  [/((?:\/\/|sips?:)[^:@\s/]+):[^@\s/]+@/gi, '$1:[secret]@']
]

export function maskSecrets(text: string): string {
  return SECRET_SHAPES.reduce((t, [shape, mask]) => t.replace(shape, mask), text)
}

/** One line (with the stack below it) about a rejection's reason, secrets masked. */
export function describeRejection(reason: unknown): string {
  const text =
    reason instanceof Error
      ? (reason.stack ?? `${reason.name}: ${reason.message}`)
      : typeof reason === 'string'
        ? reason
        : `a value that is not an Error (${reason === null ? 'null' : typeof reason})`
  return maskSecrets(text).slice(0, MAX_CHARS)
}

/** Logs every unhandled rejection of `source` through `log`. */
export function logUnhandledRejections(source: RejectionSource, log: (line: string) => void): void {
  source.on('unhandledRejection', (reason) => {
    log(`a promise failed with nobody handling it: ${describeRejection(reason)}`)
  })
}
