/**
 * The web shop's signed order webhook on SQLite and PostgreSQL (issue 20): a good delivery records the order,
 * which online activation then matches by number and email; a bad signature, a stale timestamp, an unknown or
 * retail sender and a replayed delivery are refused (and audited) and record nothing; a duplicate order is
 * recorded once; the same number with other details is refused; rotating the secret stops the old one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { webhookSignature } from '../../../src/server/ops/webshop'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { OpsCli, enrolAndSignIn } from '../../support/ops'
import { ACCEPT, BILLING, MODEL, newSerial } from '../../support/service-flows'

describe.each(BACKENDS)('web-shop order webhook on %s', (backend) => {
  let svc: TestService
  let adminToken = ''
  let shop = ''
  let secret = ''
  let retail = ''

  beforeAll(async () => {
    svc = await startTestService(backend)
    const boot = await bootstrapAdmin(svc.service.ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
    adminToken = (await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)).token
    const p = await svc.api<{ partner: { id: string } }>(
      'POST',
      '/ops/v1/partners',
      { name: 'Web shop', kind: 'webshop' },
      adminToken
    )
    shop = p.body.partner.id
    const r = await svc.api<{ partner: { id: string } }>(
      'POST',
      '/ops/v1/partners',
      { name: 'Shop', kind: 'retail' },
      adminToken
    )
    retail = r.body.partner.id
    const s = await svc.api<{ secret: string }>(
      'POST',
      `/ops/v1/partners/${shop}/webhook-secret`,
      undefined,
      adminToken
    )
    expect(s.status).toBe(201)
    secret = s.body.secret
  }, 60_000)
  afterAll(() => svc.close())

  const order = (number: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      orderNumber: number,
      email: 'buyer@example.test',
      model: MODEL,
      includedMonths: 12,
      ...extra
    })
  const deliver = (
    body: string,
    o: { key?: string; partner?: string; at?: Date; signature?: string } = {}
  ) => {
    const ts = String(Math.floor((o.at ?? svc.clock.now()).getTime() / 1000))
    return svc.bare<{ status?: string; error?: { reason: string } }>(
      'POST',
      '/ops/v1/webshop/orders',
      body,
      undefined,
      {
        'content-type': 'application/json',
        'x-dialtone-partner': o.partner ?? shop,
        'x-dialtone-timestamp': ts,
        'x-dialtone-signature': o.signature ?? webhookSignature(o.key ?? secret, ts, body)
      }
    )
  }
  const orders = (number: string) =>
    svc.service.ctx.db.selectFrom('orders').selectAll().where('number', '=', number).execute()

  it('records a signed order, which online activation then matches by number and email', async () => {
    const r = await deliver(order('web-5001'))
    expect([r.status, r.body.status]).toEqual([200, 'recorded'])
    expect(await orders('WEB-5001')).toHaveLength(1)
    const activated = await svc.api('POST', '/v1/devices/activate', {
      serial: newSerial(),
      model: MODEL,
      areaCode: '312',
      acceptances: ACCEPT,
      purchase: { channel: 'online', orderNumber: 'WEB-5001', email: 'buyer@example.test' },
      account: {
        mode: 'new',
        name: 'Ada Buyer',
        email: 'buyer@example.test',
        password: 'analytical engine 1843',
        billingAddress: BILLING
      }
    })
    expect(activated.status).toBe(201)
  })

  it('refuses a wrong signature, a stale timestamp, an unknown or retail sender; nothing recorded, each audited', async () => {
    const body = order('WEB-6001')
    const cases = [
      await deliver(body, { key: 'whsec_not-the-secret' }),
      await deliver(body, { signature: 'v1=' + '0'.repeat(64) }),
      await deliver(body, { at: new Date(svc.clock.now().getTime() - 10 * 60_000) }),
      await deliver(body, { partner: retail }),
      await deliver(body, { partner: 'ptn_nosuchpartner000' })
    ]
    expect(cases.map((c) => [c.status, c.body.error?.reason])).toEqual(
      Array(5).fill([401, 'webhook-signature'])
    )
    const tampered = await svc.bare(
      'POST',
      '/ops/v1/webshop/orders',
      order('WEB-6001', { includedMonths: 36 }),
      undefined,
      {
        'content-type': 'application/json',
        'x-dialtone-partner': shop,
        'x-dialtone-timestamp': String(Math.floor(svc.clock.now().getTime() / 1000)),
        'x-dialtone-signature': webhookSignature(
          secret,
          String(Math.floor(svc.clock.now().getTime() / 1000)),
          body
        )
      }
    )
    expect(tampered.status).toBe(401)
    expect(await orders('WEB-6001')).toHaveLength(0)
    const refused = await svc.service.ctx.db
      .selectFrom('ops_audit')
      .select('outcome')
      .where('action', '=', 'webshop-order')
      .where('outcome', '=', 'refused')
      .execute()
    expect(refused).toHaveLength(6)
  })

  it('refuses a replayed delivery; a re-signed duplicate is recorded once; other details under the same number are refused', async () => {
    const body = order('WEB-7001')
    const ts = String(Math.floor(svc.clock.now().getTime() / 1000))
    const headers = {
      'content-type': 'application/json',
      'x-dialtone-partner': shop,
      'x-dialtone-timestamp': ts,
      'x-dialtone-signature': webhookSignature(secret, ts, body)
    }
    const first = await svc.bare<{ status: string }>(
      'POST',
      '/ops/v1/webshop/orders',
      body,
      undefined,
      headers
    )
    expect(first.body.status).toBe('recorded')
    const replay = await svc.bare<{ error: { reason: string } }>(
      'POST',
      '/ops/v1/webshop/orders',
      body,
      undefined,
      headers
    )
    expect([replay.status, replay.body.error.reason]).toEqual([409, 'webhook-replay'])
    svc.clock.advance(2000)
    const retry = await deliver(body)
    expect([retry.status, retry.body.status]).toEqual([200, 'duplicate'])
    svc.clock.advance(2000)
    const other = await deliver(order('WEB-7001', { email: 'someone@example.test' }))
    expect([other.status, other.body.error?.reason]).toEqual([409, 'order-conflict'])
    const rows = await orders('WEB-7001')
    expect(rows.map((r) => r.email)).toEqual(['buyer@example.test'])
  })

  it('bad order content gets the /v1 validation answer; a rotated secret stops the old one (CLI)', async () => {
    svc.clock.advance(2000)
    const bad = await deliver(
      JSON.stringify({ orderNumber: 'W', email: 'nope', model: 'x', includedMonths: 99 })
    )
    expect(bad.status).toBe(400)
    // An order of a model that cannot prove itself, naming no serial: it would activate any unowned dongle of the
    // model, so it is refused until it names the one shipped (sent when the order ships); nothing recorded.
    svc.clock.advance(2000)
    const vague = await deliver(order('WEB-8501', { model: '0d8c:0014' }))
    expect(vague.status).toBe(400)
    expect((vague.body as { error?: { issues?: unknown[] } }).error?.issues).toEqual([
      expect.objectContaining({ path: 'serial', code: 'required' })
    ])
    expect(await orders('WEB-8501')).toHaveLength(0)
    svc.clock.advance(2000)
    const named = await deliver(order('WEB-8501', { model: '0d8c:0014', serial: newSerial() }))
    expect([named.status, named.body.status]).toEqual([200, 'recorded'])
    const cli = new OpsCli(svc)
    const me = await svc.api('GET', '/ops/v1/me', undefined, adminToken)
    expect(me.status).toBe(200)
    const { writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    writeFileSync(
      join(cli.home, 'session.json'),
      JSON.stringify({ url: svc.base, token: adminToken, expiresAt: '', email: 'admin@ops.dialtone.test' }),
      { mode: 0o600 }
    )
    const rotated = await cli.json<{ secret: string }>(['partners', 'rotate-secret', shop])
    expect(rotated.secret).toMatch(/^whsec_/)
    svc.clock.advance(2000)
    expect((await deliver(order('WEB-8001'))).status).toBe(401)
    expect((await deliver(order('WEB-8001'), { key: rotated.secret })).status).toBe(200)
    const stored = await svc.service.ctx.db
      .selectFrom('partners')
      .select('webhook_secret_enc')
      .where('id', '=', shop)
      .executeTakeFirstOrThrow()
    expect(stored.webhook_secret_enc).not.toContain(rotated.secret.slice(6))
  }, 60_000)
})
