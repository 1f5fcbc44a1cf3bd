/**
 * The limits on binding one dongle (a trial, an activation), on SQLite and PostgreSQL, behind a trusted proxy so
 * each request names its address: whoever read a serial off the box cannot lock the dongle's owner out, neither by
 * spending the per-address tries (3 an hour per dongle and address) nor from many addresses (the dongle's tries
 * from every address together, 30 an hour, count only those the dongle itself proved, or for a model that cannot
 * prove itself, those with its web-shop order and that order's email), and each refusal is the
 * rate limit's, said as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { ACCEPT, BILLING, MODEL, newSerial, webShopOrder } from '../../support/service-flows'

/** A model that cannot attest (a generic USB phone), as attestation.test.ts has it. */
const GENERIC_PHONE = '0d8c:0014'

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

    // Tries without the dongle from many addresses: each refused as not genuine, none spends the dongle's hour.
    const other = await svc.dongles.make(newSerial())
    const strangers: number[] = []
    for (let i = 0; i < 31; i++)
      strangers.push(
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
    expect(new Set(strangers)).toEqual(new Set([403]))
    // Before, the owner was told to wait an hour here (the thirty strangers had spent the dongle's budget).
    const first = await svc.bare<Answer>(
      'POST',
      '/v1/trials',
      { ...trialBody(other.serial, 'owner'), attestation: await svc.dongles.attest(other) },
      undefined,
      from('198.51.100.8')
    )
    expect(first.status, JSON.stringify(first.body)).toBe(202)
    // Tries the dongle proved, from every address together: thirty an hour, then every address is told to wait.
    const proven: Answer[] = []
    const statuses: number[] = []
    for (let i = 1; i < 31; i++) {
      const r = await svc.bare<Answer>(
        'POST',
        '/v1/trials',
        { ...trialBody(other.serial, `owner${i}`), attestation: await svc.dongles.attest(other) },
        undefined,
        from(`198.51.100.${10 + i}`)
      )
      statuses.push(r.status)
      proven.push(r.body)
    }
    expect(statuses.slice(0, 29).includes(429)).toBe(false)
    expect([statuses[29], proven[29]?.error?.params?.limit]).toEqual([429, 'bind-serial'])
  })

  it('neither can a stranger lock out the activation of a dongle bought in a shop', async () => {
    const d = await svc.dongles.make(newSerial())
    const retail = (who: string) => ({
      serial: d.serial,
      model: MODEL,
      areaCode: '617',
      acceptances: ACCEPT,
      purchase: { channel: 'retail' },
      account: {
        mode: 'new',
        name: 'Pat',
        email: `${who}-${d.serial.toLowerCase()}@example.test`,
        password: 'enigma machine 1912',
        billingAddress: BILLING
      }
    })
    for (let i = 0; i < 31; i++) {
      const r = await svc.bare(
        'POST',
        '/v1/devices/activate',
        retail('x'),
        undefined,
        from(`192.0.2.${i + 101}`)
      )
      expect(r.status).toBe(403)
    }
    const owner = await svc.bare(
      'POST',
      '/v1/devices/activate',
      { ...retail('owner'), attestation: await svc.dongles.attest(d) },
      undefined,
      from('198.51.100.9')
    )
    expect(owner.status, JSON.stringify(owner.body)).toBe(201)
  })

  it('nor the activation of a web-shop dongle that cannot prove itself, by guessing at its order', async () => {
    // A generic phone (no key to attest with): its web-shop order with that order's email is its only proof.
    const order = (number: string, email: string, serial: string | null) =>
      webShopOrder(svc, { number, email, model: GENERIC_PHONE, serial })
    const serial = newSerial()
    const email = `buyer-${serial.toLowerCase()}@example.test`
    const number = `ORD-BL-${serial}`
    await order(number, email, serial)
    const online = (orderNumber: string, orderEmail: string, acceptances = ACCEPT, dongle = serial) => ({
      serial: dongle,
      model: GENERIC_PHONE,
      areaCode: '617',
      acceptances,
      purchase: { channel: 'online', orderNumber, email: orderEmail },
      account: {
        mode: 'new',
        name: 'Pat',
        email: orderEmail,
        password: 'enigma machine 1912',
        billingAddress: BILLING
      }
    })
    // Orders of the same model in strangers' hands: one naming the dongle it activated, and one from before orders
    // named their dongle (it names none, so it proves nothing for any dongle: refused before the budget too).
    const mine = newSerial()
    const used = `ORD-BLU-${serial}`
    await order(used, `used-${email}`, mine)
    const first = await svc.bare('POST', '/v1/devices/activate', online(used, `used-${email}`, ACCEPT, mine))
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const vague = `ORD-BLN-${serial}`
    await order(vague, `vague-${email}`, null)
    // Strangers who read the serial off the box, each from an address of their own: four guessing at the order, then
    // thirty with an order of their own the dongle does not get (the dongle's hour is thirty tries).
    for (let i = 0; i < 34; i++) {
      const [body, status, reason] =
        i < 4
          ? [
              i % 2 ? online(`ORD-${1000 + i}`, email) : online(number, `x${i}@example.test`),
              400,
              'order-mismatch'
            ]
          : i % 2
            ? [online(used, `used-${email}`), 400, 'order-mismatch']
            : [online(vague, `vague-${email}`), 403, 'order-names-no-serial']
      const r = await svc.bare<Answer>(
        'POST',
        '/v1/devices/activate',
        body,
        undefined,
        from(`192.0.2.${i + 201}`)
      )
      expect(r.status, JSON.stringify(r.body)).toBe(status)
      expect(r.body.error?.reason).toBe(reason)
    }
    // Before, the owner was told to wait an hour here.
    const owner = await svc.bare(
      'POST',
      '/v1/devices/activate',
      online(number, email),
      undefined,
      from('198.51.100.6')
    )
    expect(owner.status, JSON.stringify(owner.body)).toBe(201)
  })
})
