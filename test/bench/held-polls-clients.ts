/**
 * The clients of held-polls.bench.ts, in a process of their own so that their sockets are not in the service's
 * memory: told over IPC to open idle keep-alive connections (each after one request) or held polls, to let them go,
 * and it reports each account's polls as they answer.
 */
import { Agent, request } from 'node:http'

type Command =
  | { readonly kind: 'idle'; readonly port: number; readonly count: number }
  | {
      readonly kind: 'hold'
      readonly port: number
      readonly polls: readonly { readonly account: number; readonly token: string; readonly since: string }[]
    }
  | { readonly kind: 'release' }

let agent: Agent | null = null

function get(port: number, path: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: agent ?? undefined,
        headers: token ? { authorization: `Bearer ${token}` } : {}
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

process.on('message', (c: Command) => {
  if (c.kind === 'release') {
    agent?.destroy()
    agent = null
    process.send?.({ kind: 'released' })
    return
  }
  agent = new Agent({ keepAlive: true, maxSockets: Infinity })
  if (c.kind === 'idle') {
    Promise.all(Array.from({ length: c.count }, () => get(c.port, '/v1/health'))).then(
      () => process.send?.({ kind: 'open' }),
      (err: unknown) => {
        throw err
      }
    )
    return
  }
  // Opened 50 at a time, as apps come and go, not all in one instant: a burst of thousands at once is what the
  // service's admission control answers with 503 (and the app's watch then waits and asks again).
  ;(async () => {
    for (let i = 0; i < c.polls.length; i += 50) {
      for (const p of c.polls.slice(i, i + 50))
        get(c.port, `/v1/lines/changes?since=${p.since}`, p.token).then(
          (status) => process.send?.({ kind: 'answered', account: p.account, status }),
          () => undefined
        )
      await new Promise((r) => setTimeout(r, 20))
    }
    process.send?.({ kind: 'open' })
  })().catch((err: unknown) => {
    throw err
  })
})
