/**
 * The connected services catalog in `dialtone-ops` on SQLite and PostgreSQL (issue 25 part 1), as the real CLI
 * process: billing lists it, changes a price with a reason (audited with the price before and after; people see
 * the new fee), retires a service (no line can switch it on) and offers the feature again under a new code;
 * support may read but not change it, a retail till neither (refused and audited); bad input changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { key } from '../../support/billing-flows'
import { OpsCli, enrolAndSignIn, freshCode, makeOperator, type Operator } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

type ApiError = { error?: { reason: string } }
interface OpsService {
  code: string
  feature: string
  priceMinor: number
  defaultOn: boolean
  retiredAt: string | null
}

describe.each(BACKENDS)('connected services catalog in the ops CLI on %s', (backend) => {
  let svc: TestService
  let cli: OpsCli
  let billing: Operator
  let support: Operator
  let till: Operator
  let ada: TrialLine

  beforeAll(async () => {
    svc = await startTestService(backend)
    const email = 'services-admin@ops.dialtone.test'
    const boot = await bootstrapAdmin(svc.service.ctx, { email, name: 'Services Admin' })
    const admin = await enrolAndSignIn(svc, email, boot.enrolmentToken)
    billing = await makeOperator(svc, admin.token, 'billing')
    support = await makeOperator(svc, admin.token, 'support')
    const partner = await svc.api<{ partner: { id: string } }>(
      'POST',
      '/ops/v1/partners',
      { name: 'Corner Stores', kind: 'retail' },
      admin.token
    )
    till = await makeOperator(svc, admin.token, 'retail-partner', partner.body.partner.id)
    cli = new OpsCli(svc)
    const login = await cli.run(
      ['login', '--email', billing.email, '--code', freshCode(svc, billing.secret)],
      {
        DIALTONE_OPS_PASSWORD: billing.password
      }
    )
    expect(login.code, login.stderr).toBe(0)
    ada = await trialLine(svc)
  }, 120_000)
  afterAll(() => svc.close())

  const catalog = async () => (await cli.json<{ services: OpsService[] }>(['services', 'list'])).services
  const fee = async (code: string) => {
    const r = await svc.api<{ services: { code: string; monthlyFee: { amountMinor: number } }[] }>(
      'GET',
      `/v1/lines/${ada.lineId}/services`,
      undefined,
      ada.token
    )
    return r.body.services.find((s) => s.code === code)?.monthlyFee.amountMinor
  }

  it('lists, reprices with a reason, retires and offers again, each change audited', async () => {
    const listed = await cli.run(['services', 'list'])
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(/caller-id-withheld\s+caller-id-withheld\s+1\.50 USD\/month/)
    expect(listed.stdout).toMatch(/voicemail\s+voicemail\s+free/)

    const priced = await cli.run([
      'services',
      'price',
      'caller-id-withheld',
      '--fee',
      '2.25',
      '--reason',
      'yearly review'
    ])
    expect(priced.code, priced.stderr).toBe(0)
    expect(await fee('caller-id-withheld')).toBe(225)
    const audit = await svc.service.ctx.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('target', '=', 'caller-id-withheld')
      .where('outcome', '=', 'ok')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_id: billing.id, reason: 'yearly review' })
    expect(JSON.parse(audit[0]?.before ?? '{}')).toEqual({ priceMinor: 150 })
    expect(JSON.parse(audit[0]?.after ?? '{}')).toEqual({ priceMinor: 225 })

    const retired = await cli.run([
      'services',
      'retire',
      'call-waiting',
      '--reason',
      'replaced by a new plan'
    ])
    expect(retired.code, retired.stderr).toBe(0)
    const on = await svc.api<ApiError>(
      'POST',
      `/v1/lines/${ada.lineId}/services/call-waiting`,
      { enabled: true, idempotencyKey: key() },
      ada.token
    )
    expect(on.body.error?.reason).toBe('service-retired')
    const again = await cli.run([
      'services',
      'add',
      'call-waiting-plus',
      '--feature',
      'call-waiting',
      '--fee',
      '0.99',
      '--default',
      'off',
      '--reason',
      'the new plan'
    ])
    expect(again.code, again.stderr).toBe(0)
    expect((await catalog()).find((s) => s.code === 'call-waiting-plus')).toMatchObject({
      feature: 'call-waiting',
      priceMinor: 99,
      defaultOn: false,
      retiredAt: null
    })
  })

  it('refuses bad input with a clear answer and changes nothing', async () => {
    const before = await catalog()
    const bad: [string[], number, string][] = [
      [['services', 'price', 'voicemail', '--fee', '1.234', '--reason', 'too precise'], 2, '--fee'],
      [['services', 'price', 'voicemail', '--fee', '250', '--reason', 'too dear'], 2, '--fee'],
      [['services', 'price', 'voicemail', '--fee', '1.00'], 2, '--reason'],
      [['services', 'price', 'voicemail', '--fee', '1.00', '--reason', 'no'], 3, 'reason'],
      [
        [
          'services',
          'add',
          'x',
          '--feature',
          'teleport',
          '--fee',
          '0',
          '--default',
          'on',
          '--reason',
          'new thing'
        ],
        2,
        '--feature'
      ],
      [
        [
          'services',
          'add',
          'Bad Code',
          '--feature',
          'transfer',
          '--fee',
          '0',
          '--default',
          'on',
          '--reason',
          'bad code'
        ],
        3,
        'code'
      ],
      [
        [
          'services',
          'add',
          'voicemail-2',
          '--feature',
          'voicemail',
          '--fee',
          '0',
          '--default',
          'on',
          '--reason',
          'twice'
        ],
        3,
        'already offers'
      ],
      // A paid service on by default would be on lines that never asked for it: refused, added or repriced.
      [
        [
          'services',
          'add',
          'fax-relay',
          '--feature',
          'transfer',
          '--fee',
          '0.50',
          '--default',
          'on',
          '--reason',
          'paid and on'
        ],
        3,
        'must be free'
      ],
      [
        ['services', 'price', 'voicemail', '--fee', '1.00', '--reason', 'voicemail for a fee'],
        3,
        'must be free'
      ],
      [
        ['services', 'retire', 'no-such-service', '--reason', 'gone away'],
        6,
        'the connected service no-such-service was not found'
      ]
    ]
    for (const [args, code, says] of bad) {
      const r = await cli.run(args)
      expect([args.slice(0, 3).join(' '), r.code]).toEqual([args.slice(0, 3).join(' '), code])
      expect(r.stderr).toContain(says)
    }
    expect(await catalog()).toEqual(before)
  })

  it('lets support read but not change the catalog, and refuses a retail till both, audited', async () => {
    const change = [
      'POST',
      '/ops/v1/services/voicemail/price',
      { priceMinor: 100, reason: 'not my job' }
    ] as const
    expect((await svc.api('GET', '/ops/v1/services', undefined, support.token)).status).toBe(200)
    const bySupport = await svc.api<ApiError>(...change, support.token)
    expect([bySupport.status, bySupport.body.error?.reason]).toEqual([403, 'ops-permission'])
    for (const [method, path, body] of [['GET', '/ops/v1/services', undefined], change] as const) {
      const r = await svc.api<ApiError>(method, path, body, till.token)
      expect([path, r.status]).toEqual([path, 403])
    }
    const refused = await svc.service.ctx.db
      .selectFrom('ops_audit')
      .select('actor_id')
      .where('outcome', '=', 'refused')
      .where('action', 'like', 'services%')
      .execute()
    expect(refused.map((r) => r.actor_id).sort()).toEqual([support.id, till.id, till.id].sort())
    expect(await fee('voicemail')).toBe(0)
  })
})
