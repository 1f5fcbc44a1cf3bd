/**
 * The CLI's client of the ops API, by the ops route table's heads (shared/ops/route-heads.ts, derived from the
 * table: the CLI loads no schema): the route's method and path (path parameters taken out of the input), the rest
 * as query string or JSON body, the bearer credential, and the service's error body turned into an OpsError with
 * the CLI's exit code for it. The table's types still type each call's input and output.
 */
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { z } from 'zod'
import { OPS_ROUTE_HEADS } from '../../../shared/ops/route-heads'
import type { OpsRouteName, OpsRoutes } from '../../../shared/ops/routes'

/** Exit codes (docs/ops.md). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  unauthenticated: 4,
  forbidden: 5,
  notFound: 6,
  unavailable: 7,
  rateLimited: 8
} as const

export interface WireIssue {
  path: string
  code: string
  message: string
}

export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly reason: string,
    readonly issues: readonly WireIssue[] = []
  ) {
    super(message)
    this.name = 'OpsError'
  }
}

function exitFor(status: number): number {
  if (status === 401) return EXIT.unauthenticated
  if (status === 403) return EXIT.forbidden
  if (status === 404) return EXIT.notFound
  if (status === 429) return EXIT.rateLimited
  if (status >= 500) return EXIT.unavailable
  return EXIT.refused
}

export type OpsCallInput<N extends OpsRouteName> = OpsRoutes[N]['input'] extends z.ZodType
  ? z.input<OpsRoutes[N]['input']>
  : undefined
export type OpsCallOutput<N extends OpsRouteName> = z.output<OpsRoutes[N]['output']>

export class OpsClient {
  constructor(
    readonly base: string,
    private readonly credential: string | null
  ) {}

  async call<N extends OpsRouteName>(name: N, input?: OpsCallInput<N>): Promise<OpsCallOutput<N>> {
    const r = OPS_ROUTE_HEADS[name]
    const rest: Record<string, unknown> = { ...((input as Record<string, unknown> | undefined) ?? {}) }
    let path = r.path
    for (const p of r.params) {
      path = path.replace(`:${p}`, encodeURIComponent(String(rest[p] ?? '')))
      delete rest[p]
    }
    if (r.method === 'GET') {
      const q = new URLSearchParams()
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) q.set(k, String(v))
      if ([...q].length > 0) path += `?${q.toString()}`
    }
    let res: Answer
    try {
      res = await exchange(
        new URL(this.base.replace(/\/$/, '') + path),
        r.method,
        {
          ...(r.body ? { 'content-type': 'application/json' } : {}),
          ...(this.credential ? { authorization: `Bearer ${this.credential}` } : {})
        },
        r.body ? JSON.stringify(rest) : undefined
      )
    } catch (err) {
      throw new OpsError(
        `cannot reach the service at ${this.base} (${err instanceof Error ? err.message : String(err)})`,
        EXIT.unavailable,
        'unreachable'
      )
    }
    if (res.status >= 300 && res.status <= 399)
      throw new OpsError(
        `the service answered ${res.status}, a redirect to ${res.location ?? '(no address)'}: set DIALTONE_OPS_URL to the address it names`,
        EXIT.failed,
        'redirect'
      )
    let body: unknown
    try {
      body = JSON.parse(res.text)
    } catch {
      throw new OpsError(
        `the service answered ${res.status} with something that is not JSON`,
        EXIT.failed,
        'bad-response'
      )
    }
    if (res.status < 200 || res.status > 299) {
      const e = (body as { error?: { message?: string; reason?: string; issues?: WireIssue[] } }).error
      throw new OpsError(
        e?.message ?? `the service answered ${res.status}`,
        exitFor(res.status),
        e?.reason ?? 'unknown',
        e?.issues ?? []
      )
    }
    return body as OpsCallOutput<N>
  }
}

interface Answer {
  readonly status: number
  readonly text: string
  /** A redirect's target: not followed (the credential goes to the service's own address only). */
  readonly location: string | undefined
}

/** How long the service may stay silent on the connection before the command gives up. */
const ANSWER_TIMEOUT_MS = 120_000

/**
 * One HTTP exchange by node:http(s), not fetch: fetch loads undici and its llhttp WebAssembly on first use, and a
 * CLI command makes one or two requests and exits. CPU profiles of 106 commands (ops-numbers.test.ts) spent more of
 * their JavaScript time loading undici than in anything of ours.
 */
function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined
): Promise<Answer> {
  const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null
  if (!send) return Promise.reject(new Error(`${url.protocol} is not http: or https:`))
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            location: res.headers.location
          })
        )
        res.on('error', reject)
      }
    )
    // fetch gave up on a silent service after minutes; node:http never does. A report can take a while, a socket
    // that says nothing for this long is a service that will not answer.
    req.setTimeout(ANSWER_TIMEOUT_MS, () =>
      req.destroy(
        Object.assign(new Error(`no answer in ${ANSWER_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })
      )
    )
    req.on('error', reject)
    req.end(body)
  })
}
