/**
 * `dialtone-ops carriers` on SQLite and PostgreSQL (issue 22), through the real CLI process: an admin adds a
 * carrier gateway and a prefix rule, changes the gateway (taken out of service), and sees both in the list; each
 * change is audited with its reason and the row before and after, and says that Kamailio did not reload (this
 * service has no Kamailio: the change is saved and taken at Kamailio's next reload, as the CLI says). Bad input
 * (a host name instead of an address, a prefix with '+', a port out of range, an unknown direction, no reason)
 * changes nothing; support may list but not change. That Kamailio routes by what is saved here is
 * test/media/carrier-calls.test.ts's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { type Operator, OpsCli, enrolAndSignIn, freshCode, makeOperator } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'

const REASON = ['--reason', 'new trunk from the carrier, ticket 5521']
const GATEWAY = ['carriers', 'gateway', 'trunk-x', '--set', '7', '--host', '127.0.0.1', '--port', '5999']

describe.each(BACKENDS)('dialtone-ops carriers on %s', (backend) => {
  let svc: TestService
  const cli: Record<'admin' | 'support', OpsCli> = {} as never
  const rows = async () => ({
    gateways: await svc.service.ctx.db.selectFrom('carrier_gateways').selectAll().orderBy('name').execute(),
    prefixes: await svc.service.ctx.db.selectFrom('carrier_prefixes').selectAll().orderBy('prefix').execute()
  })
  const audit = (action: string) =>
    svc.service.ctx.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', '=', action)
      .orderBy('at')
      .orderBy('id')
      .execute()

  beforeAll(async () => {
    svc = await startTestService(backend)
    const boot = await bootstrapAdmin(svc.service.ctx, { email: 'root@ops.dialtone.test', name: 'Root' })
    const admin: Operator = {
      ...(await enrolAndSignIn(svc, 'root@ops.dialtone.test', boot.enrolmentToken)),
      id: boot.operator.id
    }
    const support = await makeOperator(svc, admin.token, 'support')
    for (const [who, op] of [
      ['admin', admin],
      ['support', support]
    ] as const) {
      cli[who] = new OpsCli(svc)
      const r = await cli[who].run(['login', '--email', op.email, '--code', freshCode(svc, op.secret)], {
        DIALTONE_OPS_PASSWORD: op.password
      })
      expect(r.code, r.stderr).toBe(0)
    }
  }, 60_000)
  afterAll(() => svc.close())

  it('an admin adds and changes a gateway and a prefix rule, audited; the list shows them', async () => {
    const before = await rows()
    const added = await cli.admin.run([...GATEWAY, '--priority', '10', '--direction', 'out', ...REASON])
    expect(added.code, added.stderr).toBe(0)
    expect(added.stdout).toContain('Saved, but Kamailio did not reload')
    const prefix = await cli.admin.json<{ prefix: { prefix: string; routeSet: number } }>([
      'carriers',
      'prefix',
      '4420',
      '--set',
      '7',
      '--description',
      'London via trunk-x',
      ...REASON
    ])
    expect(prefix.prefix).toEqual({ prefix: '4420', routeSet: 7, description: 'London via trunk-x' })

    const listed = await cli.admin.json<{ gateways: { name: string; state: string }[]; prefixes: unknown[] }>(
      ['carriers', 'list']
    )
    expect(listed.gateways.map((g) => g.name)).toContain('trunk-x')
    expect(listed.gateways.length).toBe(before.gateways.length + 1)
    expect(listed.prefixes.length).toBe(before.prefixes.length + 1)
    const shown = await cli.admin.run(['carriers', 'list'])
    expect(shown.stdout).toMatch(/trunk-x\s+7\s+10\s+127\.0\.0\.1\s+5999/)

    // Taken out of service: the audit keeps what it was and what it became, with the reason.
    const off = await cli.admin.json<{ gateway: { state: string; priority: number } }>([
      ...GATEWAY,
      '--priority',
      '20',
      '--direction',
      'both',
      '--state',
      'disabled',
      '--reason',
      'carrier maintenance window'
    ])
    expect(off.gateway).toMatchObject({ state: 'disabled', priority: 20 })
    // The service's clock stands still in tests: the two rows are told apart by their reasons, not their order.
    const saves = await audit('carriers-gateway-save')
    expect(saves.map((a) => [a.outcome, a.target, a.reason]).sort()).toEqual([
      ['ok', 'trunk-x', 'carrier maintenance window'],
      ['ok', 'trunk-x', REASON[1]]
    ])
    const first = saves.find((a) => a.reason === REASON[1])
    const second = saves.find((a) => a.reason === 'carrier maintenance window')
    expect(first).toBeDefined()
    expect(first?.before === null || JSON.parse(first?.before ?? '') === null).toBe(true)
    expect(JSON.parse(second?.before ?? '{}')).toMatchObject({ state: 'active', priority: 10 })
    expect(JSON.parse(second?.after ?? '{}')).toMatchObject({
      state: 'disabled',
      priority: 20,
      kamailio: { reloaded: false }
    })
  })

  it('an admin removes a prefix and a gateway, audited; the last gateway a prefix uses is kept, in words', async () => {
    const say = ['--reason', 'trunk-y contract ended, ticket 5600']
    const gw = (name: string, port: string, priority: string, set = '8') => [
      ...['carriers', 'gateway', name, '--set', set, '--host', '127.0.0.1', '--port', port],
      ...['--priority', priority, '--direction', 'out', ...REASON]
    ]
    for (const args of [
      gw('trunk-y', '5801', '20'),
      gw('trunk-y2', '5802', '10'),
      gw('psap-only', '5803', '10', '911'),
      ['carriers', 'prefix', '4930', '--set', '8', ...REASON]
    ]) {
      const r = await cli.admin.run(args)
      expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 0, ''])
    }
    // No prefix may send ordinary calls to the emergency gateways.
    const toPsap = await cli.admin.run(['carriers', 'prefix', '4931', '--set', '911', ...REASON])
    expect(toPsap.code).toBe(3)
    expect(toPsap.stderr).toContain('route set 911 is the emergency gateways')

    // One of two gateways goes; the other is now the last one prefix 4930 uses, and stays.
    const removed = await cli.admin.run(['carriers', 'gateway-remove', 'trunk-y2', ...say])
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toContain('Removed:')
    expect(removed.stdout).toContain('trunk-y2')
    const before = await rows()
    const last = await cli.admin.run(['carriers', 'gateway-remove', 'trunk-y', ...say])
    expect(last.code).toBe(3)
    expect(last.stderr).toContain(
      'trunk-y is the last gateway of route set 8, which prefix 4930 still uses: calls to them would have nowhere to go'
    )
    const psap = await cli.admin.run(['carriers', 'gateway-remove', 'psap-only', ...say])
    expect(psap.code).toBe(3)
    expect(psap.stderr).toContain(
      'psap-only is the last emergency gateway: 911 calls would have nowhere to go'
    )
    const unknown = await cli.admin.run(['carriers', 'gateway-remove', 'no-such-trunk', ...say])
    expect(unknown.code).toBe(6)
    const noReason = await cli.admin.run(['carriers', 'prefix-remove', '4930'])
    expect(noReason.code).toBe(2)
    const bySupport = await cli.support.run(['carriers', 'prefix-remove', '4930', ...say])
    expect(bySupport.code).toBe(5)
    expect(await rows()).toEqual(before)

    // The prefix goes first; then the gateway no prefix needs may go.
    const prefix = await cli.admin.json<{ removed: { prefix: string; routeSet: number } }>([
      ...['carriers', 'prefix-remove', '4930'],
      ...say
    ])
    expect(prefix.removed).toMatchObject({ prefix: '4930', routeSet: 8 })
    const gone = await cli.admin.run(['carriers', 'gateway-remove', 'trunk-y', ...say])
    expect(gone.code, gone.stderr).toBe(0)
    const after = await rows()
    expect(after.gateways.map((g) => g.name)).not.toContain('trunk-y')
    expect(after.prefixes.map((p) => p.prefix)).not.toContain('4930')

    const audits = [
      ...(await audit('carriers-gateway-remove')),
      ...(await audit('carriers-prefix-remove'))
    ].map((a) => [a.action, a.outcome, a.target, a.reason, a.actor_role])
    expect(audits).toEqual(
      expect.arrayContaining([
        ['carriers-gateway-remove', 'ok', 'trunk-y2', say[1], 'admin'],
        ['carriers-gateway-remove', 'ok', 'trunk-y', say[1], 'admin'],
        ['carriers-prefix-remove', 'ok', '4930', say[1], 'admin'],
        ['carriers-prefix-remove', 'refused', '4930', null, 'support']
      ])
    )
    const removal = (await audit('carriers-gateway-remove')).find((a) => a.target === 'trunk-y2')
    expect(JSON.parse(removal?.before ?? '{}')).toMatchObject({ name: 'trunk-y2', routeSet: 8, port: 5802 })
  })

  it('bad input and support change nothing; support may list', async () => {
    const before = await rows()
    const gateway = (host: string, port: string, direction: string, ...rest: string[]) => [
      'carriers',
      'gateway',
      'trunk-x',
      '--set',
      '7',
      '--host',
      host,
      '--port',
      port,
      '--priority',
      '1',
      '--direction',
      direction,
      ...rest
    ]
    const bad: [string[], number, string][] = [
      [gateway('carrier.example', '5999', 'out', ...REASON), 3, 'IP address'],
      [gateway('127.0.0.1', '70000', 'out', ...REASON), 3, 'port'],
      [gateway('127.0.0.1', '5999', 'sideways', ...REASON), 2, '--direction is out or in or both'],
      [gateway('127.0.0.1', '5999', 'out'), 2, '--reason'],
      [['carriers', 'prefix', '+4420', '--set', '7', ...REASON], 3, 'a prefix is 1-15 digits'],
      [['carriers', 'prefix', '4420', '--set', '0', ...REASON], 3, 'route set']
    ]
    for (const [args, code, words] of bad) {
      const r = await cli.admin.run(args)
      expect([args.join(' '), r.code]).toEqual([args.join(' '), code])
      expect(r.stderr).toContain(words)
    }
    const refused = await cli.support.run([...GATEWAY, '--priority', '1', '--direction', 'out', ...REASON])
    expect(refused.code).toBe(5)
    const refusals = (await audit('carriers-gateway-save')).filter((a) => a.outcome === 'refused')
    expect(refusals.map((a) => a.actor_role)).toEqual(['support'])
    expect(await rows()).toEqual(before)
    const listed = await cli.support.run(['carriers', 'list'])
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain('trunk-x')
  })
})
