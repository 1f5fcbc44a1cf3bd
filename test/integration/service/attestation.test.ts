/**
 * Device attestation (issue 21), on SQLite and PostgreSQL: the probe's "invented serial" (a serial nobody made
 * answered 201 with a year of service) is refused on every binding path — retail for an existing and a new
 * account, trial, online, transfer request — and so is every way of faking the proof: a reused or expired
 * challenge, another dongle's key, the right key for another serial, another model, a bad signature. All of them
 * get one answer, byte for byte. A model that cannot attest needs a proof of purchase and gets no trial; a
 * production service does not trust the development keys; the registry imports a batch whole or not at all.
 */
import { createPrivateKey, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import devKeys from '../../../resources/virtual/dev-attestation-keys.json'
import { importBatch } from '../../../src/server/devices/registry'
import { type TestDongle, newKeyPair, signChallenge } from '../../support/dongles'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import {
  ACCEPT,
  BILLING,
  MODEL,
  newSerial,
  tableCounts,
  trialLine,
  webShopOrder
} from '../../support/service-flows'

const OTHER_MODEL = '06e6:c201'
const GENERIC_PHONE = '0d8c:0014'
const REFUSAL = { status: 403, reason: 'device-not-recognised' }

type ErrorBody = { error: { code: string; reason?: string; message: string } }

const trialBody = (serial: string, model = MODEL) => ({
  serial,
  model,
  name: 'Mallory',
  billingAddress: BILLING,
  email: `${serial.toLowerCase()}@example.test`,
  password: 'correct horse battery',
  areaCode: '201',
  acceptances: ACCEPT
})
const retailBody = (serial: string, account: 'existing' | 'new', model = MODEL) => ({
  serial,
  model,
  areaCode: '617',
  acceptances: ACCEPT,
  purchase: { channel: 'retail' },
  account:
    account === 'existing'
      ? { mode: 'existing' }
      : {
          mode: 'new',
          name: 'Mallory',
          email: `${serial.toLowerCase()}@example.test`,
          password: 'enigma machine 1912',
          billingAddress: BILLING
        }
})

describe.each(BACKENDS)('device attestation on %s', (backend) => {
  let svc: TestService
  let owner: { token: string }
  let orders = 0
  beforeAll(async () => {
    svc = await startTestService(backend, {}, { DIALTONE_ATTESTING_MODELS: `${MODEL},${OTHER_MODEL}` })
    owner = await trialLine(svc)
  })
  afterAll(() => svc.close())

  async function order(email: string, model = MODEL, serial: string | null = null): Promise<string> {
    return webShopOrder(svc, { number: `ORD-AT-${orders++}`, email, model, serial })
  }

  /** An online activation, with a new order for it (naming `ordered`, the serial the shop sent, if any). */
  const onlineBody = async (serial: string, model = MODEL, ordered: string | null = null) => {
    const email = `${serial.toLowerCase()}@example.test`
    return {
      ...retailBody(serial, 'new', model),
      purchase: { channel: 'online', orderNumber: await order(email, model, ordered), email }
    }
  }

  /**
   * The limits per serial and per address (3 and 20 an hour) stand in front of the attestation; each request
   * here starts in a new window of them, so what answers is the attestation check.
   */
  const nextWindow = (): void => svc.clock.advance(60 * 60_000)

  /** Every binding request for `serial`, each with the attestation `attest` makes for it (or none). */
  async function everyPath(serial: string, attest: () => Promise<object>) {
    const send = async (body: () => Promise<object>, path = '/v1/devices/activate', token?: string) => {
      nextWindow()
      return svc.bare<ErrorBody>('POST', path, { ...(await body()), ...(await attest()) }, token)
    }
    return [
      await send(async () => retailBody(serial, 'existing'), undefined, owner.token),
      await send(async () => retailBody(serial, 'new')),
      await send(async () => trialBody(serial), '/v1/trials'),
      await send(() => onlineBody(serial))
    ]
  }

  function expectRefused(answers: { status: number; body: ErrorBody }[]): void {
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(REFUSAL.status)
      expect(a.body.error.reason).toBe(REFUSAL.reason)
    }
    // One answer for every cause: nothing tells an unknown serial from a bad signature.
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1)
  }

  it('refuses an invented serial on every path (retail existing and new account, trial, online) and changes nothing', async () => {
    nextWindow()
    const before = await tableCounts(svc)
    expectRefused(await everyPath('NOT-A-REAL-DONGLE', async () => ({})))
    // With a genuine challenge of the service, signed with a key the attacker made: the same.
    const mallory = newKeyPair()
    expectRefused(
      await everyPath('NOT-A-REAL-DONGLE', async () => ({
        attestation: signChallenge(
          mallory.privateKey,
          MODEL,
          'NOT-A-REAL-DONGLE',
          await svc.dongles.challenge('NOT-A-REAL-DONGLE', MODEL)
        )
      }))
    )
    const after = await tableCounts(svc)
    expect({ ...after, outbox: before.outbox }).toEqual(before)
    const device = await svc.service.ctx.db
      .selectFrom('devices')
      .select('id')
      .where('serial', '=', 'NOT-A-REAL-DONGLE')
      .executeTakeFirst()
    expect(device).toBeUndefined()
  })

  it('refuses a transfer request for an invented serial the same way', async () => {
    nextWindow()
    const r = await svc.bare<ErrorBody>(
      'POST',
      '/v1/transfers',
      { serial: 'NOT-A-REAL-DONGLE', model: MODEL, areaCode: '201', acceptances: ACCEPT },
      owner.token
    )
    expectRefused([r])
  })

  it('gives the same refusal for a reused, an expired, a foreign-key, an other-serial, an other-model and a forged signature', async () => {
    const a = await svc.dongles.make(newSerial())
    const b = await svc.dongles.make(newSerial())
    const answers: { status: number; body: ErrorBody }[] = []
    const trial = async (d: TestDongle, attestation: () => Promise<object>, model = d.model) => {
      nextWindow()
      return svc.bare<ErrorBody>('POST', '/v1/trials', {
        ...trialBody(d.serial, model),
        attestation: await attestation()
      })
    }

    // Reused: the first presentation works, the second is refused.
    nextWindow()
    const once = await svc.dongles.attest(a)
    expect((await svc.bare('POST', '/v1/trials', { ...trialBody(a.serial), attestation: once })).status).toBe(
      202
    )
    answers.push(
      await svc.bare<ErrorBody>('POST', '/v1/trials', { ...trialBody(a.serial), attestation: once })
    )

    // Expired: signed correctly, presented after the challenge's life.
    nextWindow()
    const late = await svc.dongles.attest(b)
    svc.clock.advance(svc.service.ctx.config.devices.challengeTtlMs + 1000)
    answers.push(
      await svc.bare<ErrorBody>('POST', '/v1/trials', { ...trialBody(b.serial), attestation: late })
    )

    // Another dongle's key signing b's challenge for b.
    answers.push(
      await trial(b, async () =>
        signChallenge(a.privateKey, b.model, b.serial, await svc.dongles.challenge(b.serial, b.model))
      )
    )
    // The right key and a good signature, but for the other serial: a's proof presented as b.
    answers.push(await trial(b, () => svc.dongles.attest(a)))
    // b's own key over b's challenge, claiming another (attesting) model than the registry's.
    answers.push(
      await trial(
        b,
        async () =>
          signChallenge(
            b.privateKey,
            OTHER_MODEL,
            b.serial,
            await svc.dongles.challenge(b.serial, OTHER_MODEL)
          ),
        OTHER_MODEL
      )
    )
    // A signature that is 64 random bytes.
    answers.push(
      await trial(b, async () => ({
        challenge: await svc.dongles.challenge(b.serial, b.model),
        signature: randomBytes(64).toString('base64')
      }))
    )
    // A challenge the service never issued, signed by the right key.
    answers.push(
      await trial(b, async () =>
        signChallenge(b.privateKey, b.model, b.serial, randomBytes(32).toString('base64'))
      )
    )
    expectRefused(answers)
    // b is still genuine: a fresh, correct attestation works.
    expect((await trial(b, () => svc.dongles.attest(b))).status).toBe(202)
  })

  it('refuses a revoked key like an unknown one', async () => {
    nextWindow()
    const d = await svc.dongles.make(newSerial())
    await svc.service.ctx.db
      .updateTable('device_registry')
      .set({ revoked_at: new Date().toISOString() })
      .where('serial', '=', d.serial)
      .execute()
    expectRefused([
      await svc.bare<ErrorBody>('POST', '/v1/trials', {
        ...trialBody(d.serial),
        attestation: await svc.dongles.attest(d)
      })
    ])
  })

  it('activates attested dongles on every path: trial, retail (existing and new account), online, transfer request', async () => {
    nextWindow()
    const trial = await svc.dongles.make(newSerial())
    const t = await svc.bare('POST', '/v1/trials', {
      ...trialBody(trial.serial),
      attestation: await svc.dongles.attest(trial)
    })
    expect(t.status, JSON.stringify(t.body)).toBe(202)

    nextWindow()
    const existing = await svc.dongles.make(newSerial())
    const re = await svc.bare(
      'POST',
      '/v1/devices/activate',
      { ...retailBody(existing.serial, 'existing'), attestation: await svc.dongles.attest(existing) },
      owner.token
    )
    expect(re.status, JSON.stringify(re.body)).toBe(201)

    nextWindow()
    const fresh = await svc.dongles.make(newSerial())
    const rn = await svc.bare('POST', '/v1/devices/activate', {
      ...retailBody(fresh.serial, 'new'),
      attestation: await svc.dongles.attest(fresh)
    })
    expect(rn.status, JSON.stringify(rn.body)).toBe(201)

    nextWindow()
    const bought = await svc.dongles.make(newSerial())
    const on = await svc.bare('POST', '/v1/devices/activate', {
      ...(await onlineBody(bought.serial)),
      attestation: await svc.dongles.attest(bought)
    })
    expect(on.status, JSON.stringify(on.body)).toBe(201)

    // The retail dongle, now someone else's, asked for by a new owner holding it.
    nextWindow()
    const buyer = await trialLine(svc)
    nextWindow()
    const tr = await svc.bare(
      'POST',
      '/v1/transfers',
      {
        serial: existing.serial,
        model: MODEL,
        areaCode: '201',
        acceptances: ACCEPT,
        attestation: await svc.dongles.attest(existing)
      },
      buyer.token
    )
    expect(tr.status, JSON.stringify(tr.body)).toBe(202)
  })

  it('never activates a model that cannot attest on a bare serial: proof of purchase, no trial', async () => {
    nextWindow()
    const serial = newSerial()
    const lookup = await svc.bare<{ trialAvailable: boolean }>('POST', '/v1/devices/lookup', {
      serial,
      model: GENERIC_PHONE
    })
    expect(lookup.body.trialAvailable).toBe(false)
    for (const r of [
      await svc.bare<ErrorBody>('POST', '/v1/trials', trialBody(serial, GENERIC_PHONE)),
      await svc.bare<ErrorBody>('POST', '/v1/devices/activate', retailBody(serial, 'new', GENERIC_PHONE)),
      await svc.bare<ErrorBody>(
        'POST',
        '/v1/devices/activate',
        retailBody(serial, 'existing', GENERIC_PHONE),
        owner.token
      )
    ]) {
      expect(r.status, JSON.stringify(r.body)).toBe(403)
      expect(r.body.error.reason).toBe('proof-of-purchase-required')
    }
    // An order that names no dongle is not its proof: it would take any unowned serial of the model.
    nextWindow()
    const vague = await svc.bare<ErrorBody>(
      'POST',
      '/v1/devices/activate',
      await onlineBody(serial, GENERIC_PHONE)
    )
    expect([vague.status, vague.body.error.reason]).toEqual([403, 'order-names-no-serial'])
    // A web-shop order for it, naming it, with its email, is the proof.
    nextWindow()
    const ok = await svc.bare('POST', '/v1/devices/activate', await onlineBody(serial, GENERIC_PHONE, serial))
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
  })

  it('takes a registered serial only as its registered model: another model’s order does not skip its proof', async () => {
    // Someone read a dongle's serial off its box in a shop, and bought a cheap phone that cannot attest online.
    nextWindow()
    const victim = await svc.dongles.make(newSerial())
    const squat = await svc.bare<ErrorBody>(
      'POST',
      '/v1/devices/activate',
      await onlineBody(victim.serial, GENERIC_PHONE)
    )
    expect([squat.status, squat.body.error?.reason]).toEqual([REFUSAL.status, REFUSAL.reason])
    // Nothing was taken: the dongle's buyer activates it, attested.
    nextWindow()
    const mine = await svc.bare('POST', '/v1/devices/activate', {
      ...retailBody(victim.serial, 'new'),
      attestation: await svc.dongles.attest(victim)
    })
    expect(mine.status, JSON.stringify(mine.body)).toBe(201)
  })

  it('trusts the development dongles in development mode', async () => {
    nextWindow()
    const virtual = devKeys.dongles.find((d) => d.serial === 'VIRTUAL')
    if (!virtual) throw new Error('no VIRTUAL dev key')
    const key = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from(virtual.privateKey, 'base64').toString('base64url'),
        x: Buffer.from(virtual.publicKey, 'base64').toString('base64url')
      },
      format: 'jwk'
    })
    const r = await svc.bare('POST', '/v1/trials', {
      ...trialBody('VIRTUAL'),
      attestation: signChallenge(key, MODEL, 'VIRTUAL', await svc.dongles.challenge('VIRTUAL', MODEL))
    })
    expect(r.status, JSON.stringify(r.body)).toBe(202)
  })

  it('imports a factory batch whole or not at all, each bad entry named', async () => {
    const good = { model: MODEL, serial: newSerial(), publicKey: newKeyPair().publicKey }
    const taken = { model: MODEL, serial: 'VIRTUAL', publicKey: newKeyPair().publicKey }
    const bad = { model: 'tigerjet', serial: 'x', publicKey: 'AAAA' }
    await expect(importBatch(svc.service.ctx, 'batch-1', [good, taken, bad, good])).rejects.toMatchObject({
      reason: 'registry-batch-invalid',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'entries[2].model' }),
        expect.objectContaining({ path: 'entries[2].serial' }),
        expect.objectContaining({ path: 'entries[2].publicKey' }),
        expect.objectContaining({ path: 'entries[3].serial', message: 'appears twice in this batch' })
      ])
    })
    const none = await svc.service.ctx.db
      .selectFrom('device_registry')
      .select('serial')
      .where('serial', '=', good.serial)
      .executeTakeFirst()
    expect(none).toBeUndefined()
    await expect(importBatch(svc.service.ctx, 'batch-1', [taken])).rejects.toMatchObject({
      issues: [{ path: 'entries[0].serial', message: 'this serial is already registered' }]
    })
    expect(await importBatch(svc.service.ctx, 'batch-1', [good])).toEqual({ added: 1 })
  })

  it('limits challenges per address', async () => {
    const fresh = await startTestService(backend)
    try {
      const answers: number[] = []
      for (let i = 0; i < 121; i++)
        answers.push(
          (await fresh.bare('POST', '/v1/devices/challenge', { serial: 'ANY-SERIAL', model: MODEL })).status
        )
      expect(answers.slice(0, 120).every((s) => s === 201)).toBe(true)
      expect(answers[120]).toBe(429)
    } finally {
      await fresh.close()
    }
  })

  it('limits device lookups per address: no walking the serials to learn which dongles are sold', async () => {
    const fresh = await startTestService(backend)
    try {
      const answers: number[] = []
      for (let i = 0; i < 121; i++)
        answers.push(
          (await fresh.bare('POST', '/v1/devices/lookup', { serial: `DT-${100000 + i}`, model: MODEL }))
            .status
        )
      expect(answers.slice(0, 120).every((s) => s === 200)).toBe(true)
      expect(answers[120]).toBe(429)
    } finally {
      await fresh.close()
    }
  })
})

describe('a production service', () => {
  it('does not trust the development keys', async () => {
    const svc = await startTestService('sqlite', { mode: 'production' })
    try {
      const rows = await svc.service.ctx.db.selectFrom('device_registry').select('serial').execute()
      expect(rows).toEqual([])
      const virtual = devKeys.dongles[0]
      if (!virtual) throw new Error('no dev key')
      const key = createPrivateKey({
        key: {
          kty: 'OKP',
          crv: 'Ed25519',
          d: Buffer.from(virtual.privateKey, 'base64').toString('base64url'),
          x: Buffer.from(virtual.publicKey, 'base64').toString('base64url')
        },
        format: 'jwk'
      })
      const r = await svc.bare<ErrorBody>('POST', '/v1/trials', {
        ...trialBody(virtual.serial),
        attestation: signChallenge(
          key,
          MODEL,
          virtual.serial,
          await svc.dongles.challenge(virtual.serial, MODEL)
        )
      })
      expect(r.status).toBe(403)
      expect(r.body.error.reason).toBe('device-not-recognised')
    } finally {
      await svc.close()
    }
  })
})
