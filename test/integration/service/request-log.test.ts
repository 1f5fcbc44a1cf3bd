/**
 * The service's request log (pino, as main.ts builds it: src/server/service-logger.ts) on a stream the test reads:
 * an operator's search by email and by number, and the reason every look at an account gives (the CLI's client
 * sends them as GET query strings), and the app's requests with query parameters are logged by their path alone,
 * so no email address, phone number or reason reaches the log (the reason is kept in the ops audit log only), and
 * each request's client by its network, not its address. Before, Fastify logged every request's whole URL at info level, and the test services logged no requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OpsClient } from '../../../src/server/ops/cli/client'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { serviceLogger } from '../../../src/server/service-logger'
import { enrolAndSignIn } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, lineNumber, trialLine } from '../../support/service-flows'

/** Why the operator looks: it may name the person, so it travels in the query string but never reaches the log. */
const REASON = 'caller asked about ticket 7731'

describe.each(BACKENDS)('the request log on %s', (backend) => {
  let svc: TestService
  let ops: OpsClient
  let person: TrialLine
  let number = ''
  const lines: string[] = []

  beforeAll(async () => {
    svc = await startTestService(
      backend,
      {},
      {},
      {
        fastifyLogger: serviceLogger('info', { write: (s: string) => void lines.push(s) })
      }
    )
    const boot = await bootstrapAdmin(svc.service.ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
    ops = new OpsClient(
      svc.base,
      (await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)).token
    )
    person = await trialLine(svc)
    number = await lineNumber(svc, person.token, person.lineId)
  }, 60_000)
  afterAll(() => svc.close())

  it('logs each request by its path, without the query string that carries emails and numbers', async () => {
    lines.length = 0
    const found = await ops.call('opsAccountsFind', { email: person.email, reason: REASON })
    expect(found.accounts.map((a) => a.id)).toEqual([person.accountId])
    expect((await ops.call('opsAccountsFind', { number, reason: REASON })).accounts.map((a) => a.id)).toEqual(
      [person.accountId]
    )
    // Searches that find nobody, as the audit's example: refused 404, logged the same way.
    await expect(
      ops.call('opsAccountsFind', { email: 'pat.person@example.com', reason: REASON })
    ).rejects.toThrow()
    await expect(ops.call('opsAccountsFind', { number: '+15551234567', reason: REASON })).rejects.toThrow()
    // One account shown and its history read: the reason goes as a query string on these too.
    await ops.call('opsAccountsShow', { accountId: person.accountId, reason: REASON })
    await ops.call('opsAccountsHistory', { accountId: person.accountId, reason: REASON })
    // The app's requests with query parameters, and one no route serves.
    const shops = await svc.api(
      'GET',
      `/v1/shops?q=${encodeURIComponent(person.email)}`,
      undefined,
      person.token
    )
    expect(shops.status).toBeLessThan(500)
    const changes = await svc.api('GET', `/v1/lines/changes?since=${number}`, undefined, person.token)
    expect(changes.status).toBeLessThan(500)
    expect((await svc.api('GET', `/v1/nowhere?email=${person.email}`)).status).toBe(404)

    const log = lines.join('')
    const urls = lines.map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url).filter(Boolean)
    // The requests were logged (at info level, as in production), by their paths.
    expect(urls).toEqual(
      expect.arrayContaining([
        '/ops/v1/accounts',
        `/ops/v1/accounts/${person.accountId}`,
        `/ops/v1/accounts/${person.accountId}/history`,
        '/v1/shops',
        '/v1/lines/changes',
        '/v1/nowhere'
      ])
    )
    expect(urls.every((u) => !u?.includes('?'))).toBe(true)
    // The network each came from, not the address (the audit log keeps that where it is needed).
    const requests = lines
      .map((l) => (JSON.parse(l) as { req?: Record<string, unknown> }).req)
      .filter(Boolean)
    expect(
      requests.every((r) => r?.remoteNetwork === '127.0.0.0/24' && !('remoteAddress' in (r ?? {})))
    ).toBe(true)
    expect(log).not.toContain('remoteAddress')
    for (const value of [
      person.email,
      encodeURIComponent(person.email),
      number,
      encodeURIComponent(number),
      number.slice(2),
      'pat.person',
      '5551234567',
      'ticket 7731',
      'ticket+7731',
      'ticket%207731'
    ])
      expect(log, value).not.toContain(value)
  })
})
