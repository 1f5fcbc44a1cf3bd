import { type Socket, createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../src/main/account/service-client'
import { version } from '../../package.json'
import { type TestService, startTestService } from '../support/service'

let svc: TestService
let base = ''

beforeAll(async () => {
  svc = await startTestService('sqlite')
  base = svc.base
})
afterAll(() => svc.close())

/** A port on loopback that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  const address = probe.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise((r) => probe.close(r))
  return port
}

describe('the account service and the app reaching it', () => {
  it('answers /v1/health with its version', async () => {
    const res = await fetch(`${base}/v1/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', version })
  })

  it('is seen as reachable, with its version, by the app', async () => {
    expect(await createServiceClient().status(base)).toEqual({
      url: base,
      reachable: true,
      version,
      reason: null,
      error: null
    })
  })

  it('is reported unreachable with the reason when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const status = await createServiceClient().status(url)
    expect(status).toMatchObject({ url, reachable: false, version: null, reason: 'unreachable' })
    expect(status.error).toMatch(/ECONNREFUSED/)
  })

  it('gives up after its timeout instead of hanging the UI', async () => {
    // Takes the connection and never answers; closed after the test (a connection nobody reads never sees its
    // peer leave, and would outlive the file).
    const taken: Socket[] = []
    const silent = createServer((c) => void taken.push(c))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const address = silent.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const status = await createServiceClient(200).status(url)
    expect(status).toMatchObject({ reachable: false, reason: 'timeout', error: 'no answer within 200 ms' })
    silent.close()
    for (const c of taken) c.destroy()
  })
})
