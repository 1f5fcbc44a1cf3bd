/**
 * The load benchmark's clients, in a worker thread of their own so their event loop never shares time with the
 * service's (one process, two loops): `CLIENTS` clients until the deadline, each on its own loopback address,
 * the mix of reads, top-ups, renewals and redemptions or (peer) only the health route. A 503 with Retry-After
 * (admission control) is waited out as the app does (the asked seconds plus up to half again) and the same
 * request sent again, same idempotency key. Posts what happened: latencies by kind (admitted answers), the 503s'
 * own latencies, each client's wait for its first answer, errors, and the distinct intents that succeeded, for
 * the main thread to count the money.
 */
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'
import { cpuSecondsOf } from './cpu'

export interface LoadAccount {
  readonly lineId: string
  readonly token: string
  readonly pm: string
}
export interface LoadJob {
  readonly port: number
  readonly clients: number
  readonly seconds: number
  readonly peer: boolean
  readonly rampMs: number
  readonly topUpMinor: number
  readonly accounts: readonly LoadAccount[]
  /** Unredeemed Re-Up PINs per account (the worker takes them in order). */
  readonly pins: string[][]
}
export type Kind = 'read' | 'topUp' | 'renewal' | 'voucher' | 'health'
export interface LoadOutcome {
  readonly latencies: Record<Kind, number[]>
  /** How long each 503 (admission control) took to come back. */
  readonly refused: number[]
  /** Per client: from its arrival to its first answer of any kind (new connections not starved). */
  readonly firstAnswer: number[]
  /** Per client: from its arrival to its TCP connection established (the handshake, before the server accepts). */
  readonly connected: number[]
  readonly errors: string[]
  readonly rateLimited: number
  /** Renewals and cards refused because the line is already covered as far ahead as allowed (409 coverage-cap). */
  readonly capped: number
  readonly toppedUp: string[][]
  readonly renewed: string[][]
  readonly redeemed: string[]
  /** This worker thread's CPU time over the run, seconds (the bench subtracts it from its process's). */
  readonly cpuSeconds: number
}

const job = workerData as LoadJob
const { port, accounts, pins } = job
const ACCOUNTS = accounts.length
const TOP_UP = job.topUpMinor
const RAMP_MS = job.rampMs
const CLIENTS = job.clients
const latencies: Record<Kind, number[]> = { read: [], topUp: [], renewal: [], voucher: [], health: [] }
const errors: string[] = []
const refused: number[] = []
const firstAnswer: number[] = []
const connected: number[] = []
let rateLimited = 0
let capped = 0
const toppedUp = accounts.map(() => new Set<string>())
const renewed = accounts.map(() => new Set<string>())
const redeemed = new Set<string>()

interface Answer {
  readonly status: number
  readonly retryAfterS: number
  /** The refusal's reason code, for an error's message. */
  readonly reason: string
}

function callOnce(
  onConnect: () => void,
  agent: Agent,
  method: string,
  path: string,
  token: string,
  body?: unknown
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body)
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {})
        }
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfterS: Number(res.headers['retry-after'] ?? 0),
            reason: (res.statusCode ?? 0) >= 400 ? (/"reason":"([^"]+)"/.exec(text)?.[1] ?? '') : ''
          })
        )
      }
    )
    req.once('socket', (s) => (s.connecting ? s.once('connect', onConnect) : onConnect()))
    req.on('error', reject)
    req.end(data)
  })
}

/** One client until the deadline: the mix, or (peer) only the service's database-free health route. */
/** A request still refused when the run ended (its client stopped waiting). */
const GAVE_UP = -1

async function client(n: number, deadline: number, peer: boolean): Promise<void> {
  // Clients arrive over the first RAMP_MS (one every millisecond), as people do, not in one SYN burst.
  await new Promise((r) => setTimeout(r, (n * RAMP_MS) / CLIENTS))
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 1,
    localAddress: `127.1.${(n + 1) >> 8}.${(n + 1) & 255}`
  })
  const a = n % ACCOUNTS
  const acct = accounts[a] as (typeof accounts)[number]
  let lastTopUp: string | null = null
  let lastRenewal: string | null = null
  const arrived = performance.now()
  let answered = false
  let isConnected = false
  const onConnect = () => {
    if (isConnected) return
    isConnected = true
    connected.push(performance.now() - arrived)
  }
  let t = 0
  let lastReason = ''
  /** One request until it is admitted; `t` is when its admitted attempt was sent. */
  const call = async (method: string, path: string, token: string, body?: unknown): Promise<number> => {
    for (;;) {
      t = performance.now()
      const answer = await callOnce(onConnect, agent, method, path, token, body)
      if (!answered) {
        answered = true
        firstAnswer.push(performance.now() - arrived)
      }
      lastReason = answer.reason
      if (answer.status !== 503 || !(answer.retryAfterS > 0)) return answer.status
      refused.push(performance.now() - t)
      // Past the run's end a client stops waiting (its request was never admitted: nothing to count).
      if (Date.now() + answer.retryAfterS * 1000 > deadline) return GAVE_UP
      await new Promise((r) => setTimeout(r, answer.retryAfterS * 1000 * (1 + 0.5 * Math.random())))
    }
  }
  while (Date.now() < deadline) {
    const roll = Math.random()
    const kind: Kind = peer
      ? 'health'
      : roll < 0.6
        ? 'read'
        : roll < 0.8
          ? 'topUp'
          : roll < 0.95
            ? 'renewal'
            : 'voucher'
    let status: number
    try {
      if (kind === 'health') {
        status = await call('GET', '/v1/health', acct.token)
      } else if (kind === 'read') {
        status = await call(
          'GET',
          Math.random() < 0.5 ? '/v1/balance' : `/v1/lines/${acct.lineId}/subscription`,
          acct.token
        )
      } else if (kind === 'topUp') {
        const key: string = lastTopUp && Math.random() < 0.2 ? lastTopUp : randomUUID()
        status = await call('POST', '/v1/balance/top-up', acct.token, {
          idempotencyKey: key,
          amountMinor: TOP_UP,
          payment: { paymentMethodId: acct.pm }
        })
        if (status >= 200 && status < 300) toppedUp[a]?.add(key)
        lastTopUp = key
      } else if (kind === 'renewal') {
        const key: string = lastRenewal && Math.random() < 0.2 ? lastRenewal : randomUUID()
        status = await call('POST', '/v1/checkout', acct.token, {
          idempotencyKey: key,
          items: [{ kind: 'renewal', lineId: acct.lineId, planId: 'line-1m@1' }],
          payment: { paymentMethodId: acct.pm }
        })
        if (status >= 200 && status < 300) renewed[a]?.add(key)
        lastRenewal = key
      } else {
        const pin = pins[a]?.pop()
        if (!pin) continue
        status = await call('POST', '/v1/vouchers/redeem', acct.token, {
          idempotencyKey: randomUUID(),
          code: pin,
          lineId: acct.lineId
        })
        if (status >= 200 && status < 300) {
          if (redeemed.has(pin)) errors.push(`voucher ${pin} redeemed twice`)
          redeemed.add(pin)
        }
      }
    } catch (err) {
      errors.push(`${kind}: ${(err as Error).message}`)
      continue
    }
    if (status === GAVE_UP) continue
    if (status === 429) rateLimited++
    // A line already paid up to the furthest date allowed: the intended answer to one more renewal or card.
    else if (status === 409 && lastReason === 'coverage-cap') capped++
    else if (status >= 400) errors.push(`${kind} answered ${status} ${lastReason}`)
    latencies[kind].push(performance.now() - t)
  }
  agent.destroy()
}

const deadline = Date.now() + job.seconds * 1000
const cpu0 = cpuSecondsOf('/proc/thread-self')
await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n, deadline, job.peer)))
parentPort?.postMessage({
  latencies,
  refused,
  firstAnswer,
  connected,
  errors,
  rateLimited,
  capped,
  toppedUp: toppedUp.map((s) => [...s]),
  renewed: renewed.map((s) => [...s]),
  redeemed: [...redeemed],
  cpuSeconds: cpuSecondsOf('/proc/thread-self') - cpu0
} satisfies LoadOutcome)
