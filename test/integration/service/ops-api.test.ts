/**
 * The ops API's guarantees on SQLite and PostgreSQL (issue 20): every role tried on every permission (refused
 * exactly where the permission table says, and each refusal audited), partner keys without a role, the reason
 * money and ownership changes require, sign-in throttling, PINs exported once under a race, twenty tills racing
 * one card (activated once), the audit log append-only in the database itself, and the OpenAPI documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PERMISSIONS, ROLES, type Permission, type Role, allows } from '../../../src/shared/ops/permissions'
import { OPS_ROUTES } from '../../../src/shared/ops/routes'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { enrolAndSignIn, makeOperator } from '../../support/ops'

type Call = readonly [method: string, path: string, body?: unknown]

const NO_BATCH = 'vb_nosuchbatch000000'
const FUTURE = '2031-01-01T00:00:00.000Z'

/** One request per permission: harmless when allowed (an unknown target or an empty file), typed over the table. */
const PROBES: Record<Permission, Call> = {
  'promotions.manage': ['POST', '/ops/v1/promotions/NO-SUCH-CODE/end', { reason: 'matrix probe' }],
  'promotions.read': ['GET', '/ops/v1/promotions/NO-SUCH-CODE'],
  'operators.manage': ['GET', '/ops/v1/operators'],
  'partners.manage': ['GET', '/ops/v1/partners'],
  'audit.read': ['GET', '/ops/v1/audit'],
  'registry.import': [
    'POST',
    '/ops/v1/registry/batches',
    { batch: 'M', csv: 'model,serial,public_key\n', reason: 'matrix probe' }
  ],
  'registry.read': ['GET', '/ops/v1/registry/NO-SUCH-SERIAL'],
  'accounts.secure': [
    'POST',
    '/ops/v1/accounts/acc_nosuchaccount00/end-sessions',
    { reason: 'matrix probe' }
  ],
  'registry.revoke': ['POST', '/ops/v1/registry/NO-SUCH-SERIAL/revoke', { reason: 'matrix probe' }],
  'registry.proof': ['POST', '/ops/v1/registry/NO-SUCH-SERIAL/proofs/withdraw', { reason: 'matrix probe' }],
  'vouchers.create': [
    'POST',
    '/ops/v1/voucher-batches',
    { name: 'm', planId: 'no-plan', size: 1, expiresAt: FUTURE, reason: 'matrix probe' }
  ],
  'vouchers.export-pins': ['POST', `/ops/v1/voucher-batches/${NO_BATCH}/pins`, { reason: 'matrix probe' }],
  'vouchers.ship': [
    'POST',
    `/ops/v1/voucher-batches/${NO_BATCH}/ship`,
    { partnerId: 'ptn_nosuchpartner00', reason: 'matrix probe' }
  ],
  'vouchers.block': ['POST', `/ops/v1/voucher-batches/${NO_BATCH}/block`, { reason: 'matrix probe' }],
  'vouchers.report': ['GET', '/ops/v1/voucher-batches'],
  'vouchers.activate': ['POST', '/ops/v1/till/activations', { serial: 'RUNOSUCHC00001' }],
  // carriers (issue 22)
  'carriers.read': ['GET', '/ops/v1/carriers'],
  'carriers.manage': [
    'PUT',
    '/ops/v1/carriers/prefixes/999',
    { prefix: '999', routeSet: 1, reason: 'matrix probe' }
  ],
  // the SIP server's flood bans (no Kamailio here: answered "unreachable" when allowed)
  'sip.read': ['GET', '/ops/v1/sip/bans'],
  'sip.unban': ['DELETE', '/ops/v1/sip/bans/203.0.113.9', { reason: 'matrix probe' }],
  // numbers and reports (issue 20)
  'numbers.manage': [
    'POST',
    '/ops/v1/numbers/ranges',
    { areaCode: '212', from: '2125550100', to: '3125550100', reason: 'matrix probe' }
  ],
  'numbers.read': ['GET', '/ops/v1/numbers/quarantine'],
  'reports.read': ['GET', '/ops/v1/reports/vouchers?from=2026-01-01&to=2026-01-02'],
  'operators.disable': ['POST', '/ops/v1/operators/opr_nosuchoperator0/disable', { reason: 'matrix probe' }],
  'registry.ship': [
    'POST',
    '/ops/v1/registry/shipments',
    { partnerId: 'ptn_nosuchpartner00', serials: ['NO-SUCH-SERIAL'], reason: 'matrix probe' }
  ],
  'refunds.create': [
    'POST',
    '/ops/v1/refunds',
    {
      accountId: 'acc_nosuchaccount00',
      chargeId: 'ord_nosuchorder0000',
      amountMinor: 100,
      to: 'balance',
      reason: 'matrix probe',
      idempotencyKey: 'matrix-probe-key'
    }
  ],
  'refunds.read': ['GET', '/ops/v1/refunds?accountId=acc_nosuchaccount00'],
  'settlements.read': ['GET', '/ops/v1/settlements/stuck'],
  'settlements.retry': ['POST', '/ops/v1/settlements/retry', { kind: 'order', id: 'ord_nosuchorder0000' }],
  // support (issue 25)
  'support.read': ['GET', '/ops/v1/support/requests/sup_nosuchrequest00'],
  'support.reply': ['POST', '/ops/v1/support/requests/sup_nosuchrequest00/close'],
  'shops.manage': ['GET', '/ops/v1/shops'],
  // services (issue 25)
  'services.read': ['GET', '/ops/v1/services'],
  'services.manage': ['POST', '/ops/v1/services/no-such-service/retire', { reason: 'matrix probe' }],
  // business (issue 25)
  'business.read': ['GET', '/ops/v1/business/documents'],
  'business.fulfil': [
    'POST',
    '/ops/v1/business/documents/doc_nosuchrequest00/fulfil',
    { reason: 'matrix probe' }
  ],
  'business.invoice': [
    'POST',
    '/ops/v1/business/invoices',
    { period: '2000-01', accountId: 'acc_nosuchaccount00', reason: 'matrix probe' }
  ],
  // accounts (issue 20)
  'accounts.read': ['GET', '/ops/v1/accounts?email=nobody%40probe.test&reason=matrix%20probe'],
  'plans.read': ['GET', '/ops/v1/plans'],
  'accounts.create': ['POST', '/ops/v1/accounts', {}],
  'accounts.plan-change': [
    'POST',
    '/ops/v1/accounts/acc_nosuchaccount00/plan-changes',
    { lineId: 'lin_nosuchline00000', planId: 'no-plan', reason: 'matrix probe' }
  ],
  'accounts.resend': ['POST', '/ops/v1/accounts/codes/resend', { email: 'nobody@probe.test' }],
  'accounts.unlock': ['POST', '/ops/v1/accounts/acc_nosuchaccount00/unlock'],
  'lines.suspend': ['POST', '/ops/v1/lines/lin_nosuchline00000/suspend', { reason: 'matrix probe' }],
  'devices.move': [
    'POST',
    '/ops/v1/devices/NO-SUCH-SERIAL/move',
    { toAccountId: 'acc_nosuchaccount00', reason: 'matrix probe' }
  ]
}

describe.each(BACKENDS)('ops API on %s', (backend) => {
  let svc: TestService
  let adminToken = ''
  let partnerA = ''
  let partnerB = ''
  let keyA = ''
  let keyB = ''
  const callers = new Map<string, { token: string; role: Role | null; id: string }>()

  beforeAll(async () => {
    svc = await startTestService(backend)
    const ctx = svc.service.ctx
    const boot = await bootstrapAdmin(ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
    adminToken = (await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)).token
    callers.set('admin', { token: adminToken, role: 'admin', id: boot.operator.id })
    const partner = async (name: string, kind: 'retail' | 'webshop') => {
      const p = await svc.api<{ partner: { id: string } }>(
        'POST',
        '/ops/v1/partners',
        { name, kind },
        adminToken
      )
      const k = await svc.api<{ apiKey: string }>(
        'POST',
        `/ops/v1/partners/${p.body.partner.id}/keys`,
        undefined,
        adminToken
      )
      return { id: p.body.partner.id, key: k.body.apiKey }
    }
    const a = await partner('Shop A', 'retail')
    const b = await partner('Shop B', 'retail')
    const w = await partner('Web shop', 'webshop')
    partnerA = a.id
    partnerB = b.id
    keyA = a.key
    keyB = b.key
    for (const role of ['support', 'billing'] as const) {
      const op = await makeOperator(svc, adminToken, role)
      callers.set(role, { token: op.token, role, id: op.id })
    }
    const till = await makeOperator(svc, adminToken, 'retail-partner', partnerA)
    callers.set('retail-partner', { token: till.token, role: 'retail-partner', id: till.id })
    callers.set('partner key (retail)', { token: keyA, role: 'retail-partner', id: partnerA })
    callers.set('partner key (webshop)', { token: w.key, role: null, id: w.id })
  }, 120_000)
  afterAll(() => svc.close())

  it('each role is refused exactly what the permission table withholds, and every refusal is audited', async () => {
    expect(new Set([...callers.values()].map((c) => c.role))).toEqual(new Set([...ROLES, null]))
    for (const [who, caller] of callers)
      for (const permission of Object.keys(PROBES) as Permission[]) {
        const [method, path, body] = PROBES[permission]
        const before = await svc.service.ctx.db.selectFrom('ops_audit').select('id').execute()
        const r = await svc.api<{ error?: { reason: string } }>(method, path, body, caller.token)
        const allowed = caller.role !== null && allows(caller.role, permission)
        expect([who, permission, r.body.error?.reason === 'ops-permission']).toEqual([
          who,
          permission,
          !allowed
        ])
        expect(r.status).not.toBe(401)
        if (!allowed) {
          expect(r.status).toBe(403)
          const rows = await svc.service.ctx.db
            .selectFrom('ops_audit')
            .selectAll()
            .where(
              'id',
              'not in',
              before.map((b) => b.id)
            )
            .execute()
          expect(rows.map((x) => [x.actor_id, x.outcome, x.error])).toEqual([
            [caller.id, 'refused', `ops-permission: ${permission}`]
          ])
        }
      }
  }, 180_000)

  it('no credentials, or a made-up token: 401, audited as anonymous', async () => {
    const none = await svc.api('GET', '/ops/v1/voucher-batches')
    expect(none.status).toBe(401)
    const fake = await svc.api('GET', '/ops/v1/voucher-batches', undefined, `dto_${'x'.repeat(43)}`)
    expect(fake.status).toBe(401)
    const rows = await svc.service.ctx.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('actor_label', '=', 'anonymous')
      .execute()
    expect(rows.map((r) => r.error)).toEqual(
      expect.arrayContaining(['no credentials', 'session or key invalid'])
    )
  })

  it('money and ownership changes need a reason: missing or too short is refused and changes nothing', async () => {
    const made = await svc.api<{ batchId: string }>(
      'POST',
      '/ops/v1/voucher-batches',
      { name: 'R', planId: 'line-1y@1', size: 2, expiresAt: FUTURE, reason: 'reason test' },
      adminToken
    )
    expect(made.status).toBe(201)
    const path = `/ops/v1/voucher-batches/${made.body.batchId}/ship`
    const none = await svc.api<{ error: { issues: { path: string }[] } }>(
      'POST',
      path,
      { partnerId: partnerA },
      adminToken
    )
    expect(none.status).toBe(400)
    expect(none.body.error.issues.map((i) => i.path)).toEqual(['reason'])
    const short = await svc.api('POST', path, { partnerId: partnerA, reason: 'ok' }, adminToken)
    expect(short.status).toBe(400)
    const row = await svc.service.ctx.db
      .selectFrom('voucher_batch_ops')
      .selectAll()
      .where('batch_id', '=', made.body.batchId)
      .executeTakeFirstOrThrow()
    expect(row.partner_id).toBeNull()
    // Every route whose permission needs a reason takes one (the table refuses to build otherwise).
    for (const r of Object.values(OPS_ROUTES))
      if (r.access in PERMISSIONS && PERMISSIONS[r.access as Permission].reason)
        expect(Object.keys((r.input as { shape: object }).shape)).toContain('reason')
  })

  it('the PINs of a batch go out once, even to five exports at the same moment', async () => {
    const made = await svc.api<{ batchId: string }>(
      'POST',
      '/ops/v1/voucher-batches',
      { name: 'P', planId: 'line-1y@1', size: 3, expiresAt: FUTURE, reason: 'race test' },
      adminToken
    )
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        svc.api<{ cards?: unknown[] }>(
          'POST',
          `/ops/v1/voucher-batches/${made.body.batchId}/pins`,
          { reason: 'printer run' },
          adminToken
        )
      )
    )
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.every((s) => s === 200 || s === 409 || s === 503)).toBe(true)
    expect(answers.find((a) => a.status === 200)?.body.cards).toHaveLength(3)
  })

  it('twenty tills racing one card activate it once; a key of partner B cannot sell partner A’s card', async () => {
    const made = await svc.api<{ batchId: string }>(
      'POST',
      '/ops/v1/voucher-batches',
      { name: 'T', planId: 'line-1y@1', size: 2, expiresAt: FUTURE, reason: 'till race' },
      adminToken
    )
    const batchId = made.body.batchId
    const pins = await svc.api<{ cards: { serial: string }[] }>(
      'POST',
      `/ops/v1/voucher-batches/${batchId}/pins`,
      { reason: 'printer run' },
      adminToken
    )
    const serial = pins.body.cards[0]?.serial ?? ''
    await svc.api(
      'POST',
      `/ops/v1/voucher-batches/${batchId}/ship`,
      { partnerId: partnerA, reason: 'to shop A' },
      adminToken
    )
    const foreign = await svc.api<{ error: { reason: string } }>(
      'POST',
      '/ops/v1/till/activations',
      { serial },
      keyB
    )
    expect([foreign.status, foreign.body.error.reason]).toEqual([403, 'ops-partner-scope'])
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => svc.api('POST', '/ops/v1/till/activations', { serial }, keyA))
    )
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s !== 201 && s !== 409 && s !== 503)).toEqual([])
    const card = await svc.service.ctx.db
      .selectFrom('vouchers')
      .selectAll()
      .where('serial', '=', serial)
      .executeTakeFirstOrThrow()
    expect(card.state).toBe('active')
    const oks = await svc.service.ctx.db
      .selectFrom('ops_audit')
      .select('actor_id')
      .where('action', '=', 'till-activate')
      .where('target', '=', serial)
      .where('outcome', '=', 'ok')
      .execute()
    expect(oks).toEqual([{ actor_id: partnerA }])
    expect(partnerB).not.toBe(partnerA)
  }, 60_000)

  it('sign-in is throttled per address and email (shared with the subscribers’ throttle)', async () => {
    const tries = []
    for (let i = 0; i < 7; i++)
      tries.push(
        (
          await svc.api(
            'POST',
            '/ops/v1/auth/login',
            { email: 'admin@ops.dialtone.test', password: 'wrong-guess', code: '123456' },
            undefined,
            {}
          )
        ).status
      )
    expect(tries.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(tries.slice(5)).toEqual([429, 429])
    svc.clock.advance(60 * 60_000)
  })

  it('sign-in is bounded per address over any number of emails, and a flood of refusals does not grow the audit', async () => {
    // A new window for this address: the throttle test above spent some of its attempts.
    svc.clock.advance(60 * 60_000)
    const db = svc.service.ctx.db
    const audited = async () => (await db.selectFrom('ops_audit').select('id').execute()).length
    const before = await audited()
    const logins: number[] = []
    for (let i = 0; i < 31; i++)
      logins.push(
        (
          await svc.api(
            'POST',
            '/ops/v1/auth/login',
            { email: `nobody${i}@ops.dialtone.test`, password: 'wrong-guess', code: '123456' },
            undefined,
            {}
          )
        ).status
      )
    // Each new email had fresh tries of its own; the address's budget (30 in 15 minutes) ends them.
    expect(logins).toEqual([...Array<number>(30).fill(401), 429])
    expect(await audited()).toBe(before + 30)
    const anonymous: number[] = []
    for (let i = 0; i < 61; i++) anonymous.push((await svc.api('GET', '/ops/v1/voucher-batches')).status)
    expect(anonymous).toEqual([...Array<number>(60).fill(401), 429])
    expect(await audited()).toBe(before + 90)
    svc.clock.advance(60 * 60_000)
  })

  it('the audit log is append-only in the database: UPDATE and DELETE are refused', async () => {
    const db = svc.service.ctx.db
    const count = (await db.selectFrom('ops_audit').select('id').execute()).length
    expect(count).toBeGreaterThan(0)
    await expect(db.updateTable('ops_audit').set({ outcome: 'ok' }).execute()).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('ops_audit').execute()).rejects.toThrow(/append-only/)
    expect((await db.selectFrom('ops_audit').select('id').execute()).length).toBe(count)
  })

  it('/ops/v1/openapi.json documents every ops route with its permission; /v1/openapi.json leaves them out', async () => {
    const ops = await svc.api<{ paths: Record<string, Record<string, { description: string }>> }>(
      'GET',
      '/ops/v1/openapi.json'
    )
    expect(ops.status).toBe(200)
    for (const r of Object.values(OPS_ROUTES)) {
      const p = r.path.replace(/:(\w+)/g, '{$1}')
      const op = ops.body.paths[p]?.[r.method.toLowerCase()]
      expect(op, `${r.method} ${p}`).toBeDefined()
      if (r.access in PERMISSIONS) expect(op?.description).toContain(`\`${r.access}\``)
    }
    const v1 = await svc.api<{ paths: Record<string, unknown> }>('GET', '/v1/openapi.json')
    expect(Object.keys(v1.body.paths).some((p) => p.startsWith('/ops/'))).toBe(false)
    expect(Object.keys(v1.body.paths).length).toBeGreaterThan(10)
  })
})
