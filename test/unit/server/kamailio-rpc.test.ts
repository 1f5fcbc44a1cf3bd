/**
 * The service's Kamailio RPC client against a small HTTP server that behaves as Kamailio did once in CI: a
 * connection closed without an answer. The client sends once more on a fresh connection (ul.rm is idempotent), but
 * not after its own timeout, and says what went wrong, with the cause, when it gives up.
 */
import { type Server, createServer } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createKamailioRpc } from '../../../src/server/provisioning/kamailio-rpc'

let server: Server | undefined
afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(undefined))
  server = undefined
})

/** Answers each request by `behaviour(n)`: 'drop' closes the connection unanswered, 'hang' never answers. */
async function kamailioLike(
  behaviour: (n: number) => 'drop' | 'hang' | 'answer'
): Promise<{ url: string; seen: () => number }> {
  let n = 0
  server = createServer((req, res) => {
    const what = behaviour(n++)
    req.resume()
    req.on('end', () => {
      if (what === 'drop') req.socket.destroy()
      else if (what === 'answer') {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ jsonrpc: '2.0', result: 'ok', id: 1 }))
      }
    })
  })
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/RPC`, seen: () => n }
}

describe('the Kamailio RPC client', () => {
  it('sends once more when the connection closed without an answer', async () => {
    const k = await kamailioLike((n) => (n === 0 ? 'drop' : 'answer'))
    const errors: string[] = []
    expect(await createKamailioRpc(k.url, (m) => errors.push(m)).removeRegistrations('12015550100')).toBe(
      true
    )
    expect(k.seen()).toBe(2)
    expect(errors).toEqual([])
  })

  it('gives up after the second closed connection, saying why', async () => {
    const k = await kamailioLike(() => 'drop')
    const errors: string[] = []
    expect(await createKamailioRpc(k.url, (m) => errors.push(m)).removeRegistrations('12015550100')).toBe(
      false
    )
    expect(k.seen()).toBe(2)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/did not answer: fetch failed \(.+\)/)
  })

  it('does not send again after its own timeout (Kamailio may be working on it)', async () => {
    const k = await kamailioLike(() => 'hang')
    const errors: string[] = []
    expect(
      await createKamailioRpc(k.url, (m) => errors.push(m), 200).removeRegistrations('12015550100')
    ).toBe(false)
    expect(k.seen()).toBe(1)
    expect(errors[0]).toMatch(/did not answer/)
  })
})
