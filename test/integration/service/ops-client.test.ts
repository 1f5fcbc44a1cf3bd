/**
 * The CLI's client of the ops API (src/server/ops/cli/client.ts) against small HTTP servers on 127.0.0.1 that answer
 * as a service would and as one must not: a route's path, query and JSON body as sent, the bearer credential, the
 * service's error body turned into the CLI's exit code and reason, an answer that is not JSON, and a service that
 * is not there.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT, OpsClient, OpsError } from '../../../src/server/ops/cli/client'

interface Seen {
  method: string
  url: string
  auth: string
  type: string
  body: string
}

let server: Server | undefined
afterEach(async () => {
  await new Promise((done) => (server ? server.close(done) : done(undefined)))
  server = undefined
})

/** A server answering every request with `status` and `text`; what it was sent, in order. */
async function answering(status: number, text: string): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = []
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization ?? '',
        type: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8')
      })
      res.writeHead(status, { 'content-type': 'application/json' }).end(text)
    })
  })
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done))
  return { base: `http://127.0.0.1:${(server?.address() as AddressInfo).port}/`, seen }
}

const failure = (p: Promise<unknown>): Promise<OpsError> =>
  p.then(
    () => {
      throw new Error('the call succeeded')
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(OpsError)
      return err as OpsError
    }
  )

describe('the ops CLI client', () => {
  it('sends a path parameter in the path, a GET’s input as its query, and the credential', async () => {
    const s = await answering(200, '{"promotion":{"code":"SPRING 1"}}')
    const out = await new OpsClient(s.base, 'tok-1').call('opsPromotionsShow', { code: 'SPRING 1/x' })
    expect(out).toEqual({ promotion: { code: 'SPRING 1' } })
    expect(s.seen).toEqual([
      { method: 'GET', url: '/ops/v1/promotions/SPRING%201%2Fx', auth: 'Bearer tok-1', type: '', body: '' }
    ])
  })

  it('sends a POST’s input as JSON, its length right for text beyond ASCII', async () => {
    const s = await answering(201, '{"settled":true,"settlement":null,"reason":null}')
    await new OpsClient(s.base, null).call('opsSettlementsRetry', { kind: 'call', id: 'cdr_é€' })
    expect(s.seen).toEqual([
      {
        method: 'POST',
        url: '/ops/v1/settlements/retry',
        auth: '',
        type: 'application/json',
        body: '{"kind":"call","id":"cdr_é€"}'
      }
    ])
  })

  it('turns the service’s error body into the exit code and reason', async () => {
    const s = await answering(
      404,
      '{"error":{"message":"a stuck call x was not found","reason":"settlement-not-stuck"}}'
    )
    const err = await failure(
      new OpsClient(s.base, 't').call('opsSettlementsRetry', { kind: 'call', id: 'x' })
    )
    expect([err.exitCode, err.reason, err.message]).toEqual([
      EXIT.notFound,
      'settlement-not-stuck',
      'a stuck call x was not found'
    ])
  })

  it('says so when the answer is not JSON', async () => {
    const s = await answering(502, '<html>bad gateway</html>')
    const err = await failure(new OpsClient(s.base, 't').call('opsSettlementsStuck', {}))
    expect([err.exitCode, err.reason]).toEqual([EXIT.failed, 'bad-response'])
    expect(err.message).toBe('the service answered 502 with something that is not JSON')
  })

  it('names a redirect and where it points instead of following it with the credential', async () => {
    const s = await answering(301, '')
    server?.removeAllListeners('request')
    server?.on('request', (_req, res) => res.writeHead(301, { location: 'https://ops.example.test/' }).end())
    const err = await failure(new OpsClient(s.base, 't').call('opsSettlementsStuck', {}))
    expect([err.exitCode, err.reason]).toEqual([EXIT.failed, 'redirect'])
    expect(err.message).toContain('a redirect to https://ops.example.test/')
  })

  it('says the service cannot be reached, with the system’s code, when nothing listens', async () => {
    const s = await answering(200, '{}')
    await new Promise((done) => server?.close(done))
    server = undefined
    const err = await failure(new OpsClient(s.base, 't').call('opsSettlementsStuck', {}))
    expect([err.exitCode, err.reason]).toEqual([EXIT.unavailable, 'unreachable'])
    expect(err.message).toMatch(/^cannot reach the service at http:\/\/127\.0\.0\.1:\d+\/ \(.*ECONNREFUSED/)
  })

  it('refuses an address that is not http: or https: without sending anything', async () => {
    const err = await failure(new OpsClient('file:///etc/', 't').call('opsSettlementsStuck', {}))
    expect([err.exitCode, err.reason]).toEqual([EXIT.unavailable, 'unreachable'])
    expect(err.message).toContain('file: is not http: or https:')
  })
})
