/**
 * The limits on binding one dongle (a trial, an activation), on SQLite and PostgreSQL, behind a trusted proxy so
 * each request names its address: whoever read a serial off the box and spends the per-address tries cannot lock
 * the dongle's owner out (3 an hour per dongle and address), while the dongle's tries from every address together
 * stay bounded (30 an hour), and each refusal is the rate limit's, said as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { ACCEPT, BILLING, MODEL, newSerial } from '../../support/service-flows'

type Answer = { error?: { reason?: string; params?: { limit?: string } } }

const trialBody = (serial: string, who: string) => ({
  serial,
  model: MODEL,
  name: 'Pat',
  billingAddress: BILLING,
  email: `${who}-${serial.toLowerCase()}@example.test`,
  password: 'correct horse battery',
  areaCode: '201',
  acceptances: ACCEPT
})

describe.each(BACKENDS)('binding limits per dongle on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend, {}, { DIALTONE_TRUSTED_PROXIES: '127.0.0.1' })
  })
  afterAll(() => svc.close())

  const from = (ip: string) => ({ 'x-forwarded-for': ip })

  it("a stranger's bad tries do not lock the owner out; every address together is bounded", async () => {
    const d = await svc.dongles.make(newSerial())
    // Someone who knows the serial, without the dongle: refused, then limited, from their address.
    const stranger = []
    for (let i = 0; i < 4; i++)
      stranger.push(
        await svc.bare<Answer>('POST', '/v1/trials', trialBody(d.serial, 'x'), undefined, from('203.0.113.9'))
      )
    expect(stranger.map((r) => r.status)).toEqual([403, 403, 403, 429])
    expect(stranger[3]?.body.error?.params?.limit).toBe('trial-dev')
    // The owner, from home, with the dongle: the trial starts.
    const owner = await svc.bare(
      'POST',
      '/v1/trials',
      { ...trialBody(d.serial, 'owner'), attestation: await svc.dongles.attest(d) },
      undefined,
      from('198.51.100.7')
    )
    expect(owner.status, JSON.stringify(owner.body)).toBe(202)

    // Tries from many addresses: thirty an hour for one dongle, then every address is told to wait.
    const other = await svc.dongles.make(newSerial())
    const statuses: number[] = []
    for (let i = 0; i < 31; i++)
      statuses.push(
        (
          await svc.bare(
            'POST',
            '/v1/trials',
            trialBody(other.serial, 'y'),
            undefined,
            from(`192.0.2.${i + 1}`)
          )
        ).status
      )
    expect(statuses.slice(0, 30).every((s) => s === 403)).toBe(true)
    const last = await svc.bare<Answer>(
      'POST',
      '/v1/trials',
      { ...trialBody(other.serial, 'owner'), attestation: await svc.dongles.attest(other) },
      undefined,
      from('198.51.100.8')
    )
    expect([statuses[30], last.status, last.body.error?.params?.limit]).toEqual([429, 429, 'bind-serial'])
  })
})
