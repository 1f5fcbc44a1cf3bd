/**
 * HAProxy in front of N service processes (Debian's haproxy; the layout of docs/scaling.md), for the dev stack's
 * `--processes N` and the scale benchmark: its configuration from a list of backends, and the arguments to run it
 * in the foreground. Why HAProxy and these settings:
 * - It accepts every client connection at once and keeps a few reused connections to each process
 *   (`http-reuse always`, `maxconn` per server): a Node process accepts one new connection per turn of its event
 *   loop, so a busy process left to accept a thousand clients itself made the newest wait for seconds.
 * - `maxconn` per server bounds what each process holds; past it requests wait in HAProxy's queue (cheap there:
 *   no event loop to block), and past `shedQueue` waiting requests HAProxy answers the next one itself at once,
 *   503 with Retry-After in the service's words, before it reaches any process (shedding at the door, where it costs
 *   least; a process's own admission control stays as the second line). `timeout queue` bounds a queued request's
 *   wait.
 * - `balance leastconn`: requests differ a lot in cost (a health check, a renewal); the least busy process gets
 *   the next one. No stickiness: the processes are stateless (sessions, limits and keys live in PostgreSQL).
 * - A health check on /v1/health (never refused by admission control) takes a dead process out within seconds.
 * - `option forwardfor`: the client's address reaches the service, which believes it only from its configured
 *   load balancers (DIALTONE_TRUSTED_PROXIES), so per-address limits still apply per client.
 * - Long polls (the route table's routes with `holdsS`: every signed-in app holds one) go to a backend of their own
 *   on the same processes, without `maxconn`: in the main backend each held poll would take one of a process's few
 *   places for its whole hold, and with as many apps as places every other request would wait in the queue. The
 *   process does not count them as work either (admission.ts) and bounds them itself (line-changes.ts). They follow
 *   the main backend's health checks (`track`) and are never shed at the door.
 */
import { API_ROUTES } from '../../src/shared/api/routes'
export interface Backend {
  readonly name: string
  readonly host: string
  readonly port: number
}

export interface HaproxyLayout {
  readonly bind: { readonly host: string; readonly port: number }
  readonly backends: readonly Backend[]
  /** The Host header of the health checks: a name the service answers to (DIALTONE_ALLOWED_HOSTS). */
  readonly checkHost?: string
  /** Connections HAProxy opens to one process at most (requests it forwards to one process at once). */
  readonly maxConnPerServer: number
  /** Requests waiting in HAProxy's queue past which the next is answered 503 at once (none: no bound). */
  readonly shedQueue?: number
  /** The longest a request waits in HAProxy's queue before its 503 (ms; default 5 s). */
  readonly queueTimeoutMs?: number
  /**
   * One line per request on HAProxy's standard output, `<status> <Ta ms> <Tw ms> <path>` (the benchmarks time
   * every answer at the door with it: Ta is from the request's first byte to the answer's last, queue included).
   */
  readonly logRequests?: boolean
}

const OVERLOADED_BODY = JSON.stringify({
  error: {
    code: 'unavailable',
    reason: 'overloaded',
    message: 'the service is busy; try again after Retry-After (nothing was changed)'
  }
})

export const HAPROXY_BIN = process.env.DIALTONE_HAPROXY_BIN ?? '/usr/sbin/haproxy'

/** The paths of the routes the service may hold (long polls), from the route table. */
export const HELD_PATHS: readonly string[] = Object.values(API_ROUTES)
  .filter((r) => (r.holdsS ?? 0) > 0)
  .map((r) => {
    if (r.path.includes(':'))
      throw new Error(`a held route with path parameters needs a pattern here: ${r.path}`)
    return r.path
  })

export function haproxyConfig(layout: HaproxyLayout): string {
  return [
    'global',
    // Two descriptors per connection (client side, server side) must fit the usual 20,000 open-file limit.
    '  maxconn 8000',
    ...(layout.logRequests ? ['  log stdout format raw local0 info'] : []),
    '',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    '  option forwardfor',
    ...(layout.logRequests ? ['  log global', '  log-format "%ST %Ta %Tw %HPO"'] : []),
    '  http-reuse always',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    `  timeout queue ${layout.queueTimeoutMs ?? 5000}ms`,
    // A saturated process answers its health check late, not never: 5 s and three misses before it is taken out
    // (taking out a busy process would only pile its load onto the others).
    '  timeout check 5s',
    '  timeout http-keep-alive 60s',
    // HAProxy's own 503 (no process up, or a request queued past `timeout queue`: never forwarded) in the service's
    // words, so the app backs off and tells the person the same way as when a process refuses it.
    `  http-error status 503 content-type application/json hdr retry-after 2 string ${JSON.stringify(OVERLOADED_BODY)}`,
    '',
    'frontend api',
    `  bind ${layout.bind.host}:${layout.bind.port}`,
    ...(layout.shedQueue === undefined
      ? []
      : [
          // Shed at the door: the health check aside, a request that would queue behind too many is refused now.
          `  http-request return status 503 content-type application/json hdr retry-after 2 string ${JSON.stringify(OVERLOADED_BODY)} if { queue(service) gt ${layout.shedQueue} } !{ path /v1/health } !{ path ${HELD_PATHS.join(' ')} }`
        ]),
    `  use_backend held if { path ${HELD_PATHS.join(' ')} }`,
    '  default_backend service',
    '',
    'backend held',
    '  balance leastconn',
    ...layout.backends.map((b) => `  server ${b.name} ${b.host}:${b.port} track service/${b.name}`),
    '',
    'backend service',
    '  balance leastconn',
    '  option httpchk',
    // With a Host the service answers to (it refuses names it does not serve).
    `  http-check send meth GET uri /v1/health ver HTTP/1.1 hdr host ${layout.checkHost ?? '127.0.0.1'}`,
    '  http-check expect status 200',
    ...layout.backends.map(
      (b) =>
        `  server ${b.name} ${b.host}:${b.port} check inter 1s fall 3 rise 1 maxconn ${layout.maxConnPerServer}`
    ),
    ''
  ].join('\n')
}

/** HAProxy's arguments: foreground (-db), the configuration file checked as it loads. */
export function haproxyArgs(configFile: string): string[] {
  return ['-db', '-f', configFile]
}
