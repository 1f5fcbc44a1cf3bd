/**
 * Where a request waits under load, measured on the service's own HTTP server (same process as the load bench):
 * the kernel's accept queue (the listening socket's depth, read with `ss` twice a second), the time from a
 * connection's accept to its first request's headers parsed (Node's reading and parsing), the requests the process
 * holds at once (parsed and not yet answered), and the event loop's delay (perf_hooks). A queue that none of these
 * shows is in the clients. Why: admission control can only refuse what reached it; these say whether the wait is
 * before that point (kernel, loop) or after (work in flight).
 */
import { execFile } from 'node:child_process'
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { stat } from './stats'

export interface LoadProbe {
  /** Requests parsed and not yet answered, now. */
  held(): number
  stop(): {
    /** Connections waiting in the kernel's accept queue, sampled twice a second. */
    acceptQueue: { median: number; max: number }
    /** Accept -> first request parsed, ms. */
    acceptToParsed: ReturnType<typeof stat>
    /** Requests parsed and not yet answered, at most, in this process. */
    maxHeld: number
    /** Event loop delay, ms. */
    loopDelay: { p50: number; p99: number; max: number }
    /**
     * Every request but the health route, from its headers parsed to its answer written, by what it got (503 or
     * not): the process's own share of each answer's time (the accept queue and the client's side come before).
     */
    served: { admitted: number[]; refused: number[] }
  }
}

export function probeServer(server: Server, port: number): LoadProbe {
  const acceptedAt = new WeakMap<Socket, number>()
  const acceptToParsed: number[] = []
  let held = 0
  let maxHeld = 0
  const served = { admitted: [] as number[], refused: [] as number[] }
  const onConnection = (s: Socket) => acceptedAt.set(s, performance.now())
  const onRequest = (
    req: { socket: Socket; url?: string },
    res: { once(e: 'close' | 'finish', f: () => void): void; statusCode: number }
  ) => {
    const t = performance.now()
    if (!req.url?.startsWith('/v1/health'))
      res.once('finish', () =>
        (res.statusCode === 503 ? served.refused : served.admitted).push(performance.now() - t)
      )
    const a = acceptedAt.get(req.socket)
    if (a !== undefined) {
      acceptToParsed.push(performance.now() - a)
      acceptedAt.delete(req.socket)
    }
    held++
    maxHeld = Math.max(maxHeld, held)
    res.once('close', () => held--)
  }
  server.on('connection', onConnection)
  server.on('request', onRequest)
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const queue: number[] = []
  // The listening socket's Recv-Q in `ss -lnt` is its accept queue's length.
  const sample = setInterval(() => {
    execFile('ss', ['-Hlnt', `sport = :${port}`], (err, out) => {
      if (!err) queue.push(Number(out.trim().split(/\s+/)[1] ?? 0))
    })
  }, 500)
  return {
    held: () => held,
    stop() {
      clearInterval(sample)
      loop.disable()
      server.off('connection', onConnection)
      server.off('request', onRequest)
      const q = [...queue].sort((a, b) => a - b)
      const ms = (ns: number) => +(ns / 1e6).toFixed(1)
      return {
        acceptQueue: { median: q[Math.floor(q.length / 2)] ?? 0, max: q.at(-1) ?? 0 },
        acceptToParsed: stat(acceptToParsed),
        maxHeld,
        loopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
        served
      }
    }
  }
}
