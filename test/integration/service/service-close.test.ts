/**
 * A closing service does not wait on connections that carry no request (src/server/http/idle-connections.ts): one
 * that never sent a byte (as undici leaves after an aborted request) and a kept-alive one whose request was
 * answered are dropped as the close begins, so the close takes what its own work takes, not the 5 s grace that
 * requests in flight get (admission.test.ts holds that a sender who never finishes a body is dropped after it).
 */
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { expect, it } from 'vitest'
import { startTestService } from '../../support/service'

it('drops the connections without a request at once when it closes', async () => {
  const svc = await startTestService('sqlite')
  const { port } = new URL(svc.base)
  const silent = connect(Number(port), '127.0.0.1')
  silent.on('error', () => undefined)
  await new Promise<void>((resolve) => silent.once('connect', () => resolve()))
  const agent = new Agent({ keepAlive: true })
  const status = await new Promise<number>((resolve, reject) =>
    request(`${svc.base}/v1/health`, { agent }, (res) => {
      res.resume()
      res.once('end', () => resolve(res.statusCode ?? 0))
    })
      .once('error', reject)
      .end()
  )
  expect(status).toBe(200)
  const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()))
  const t0 = Date.now()
  await svc.close()
  const took = Date.now() - t0
  await silentClosed
  agent.destroy()
  expect(took).toBeLessThan(4000)
})
