/**
 * `dialtone-ops` numbers and reports on SQLite and PostgreSQL (issue 20), every command through the real CLI
 * process: a number range added to the pool (NANP checks, all or none, overlaps named) and the new area code then
 * offered to the app's trial form (GET /v1/numbers/area-codes/:areaCode); the pool per area code and the numbers
 * in quarantine; the CSV reports, whose figures equal what the test did (an online renewal, an auto-renewal, a
 * Re-Up card sold and redeemed) and whose attacker-chosen cells are no spreadsheet formulas; operators disabled
 * (their open session refused at once) and enabled; dongles shipped to a partner in a serial's history; each role
 * refused what it may not do; and an action whose audit row cannot be written leaving nothing behind.
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { DAY } from '../../../src/server/clock'
import { money } from '../../../src/server/ops/reports'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { localDate } from '../../../src/shared/time/business-dates'
import { CARDS, key, renew, signIn } from '../../support/billing-flows'
import {
  type Operator,
  OpsCli,
  enrolAndSignIn,
  freshCode,
  makeOperator,
  registryCsv
} from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine, webShopOrder } from '../../support/service-flows'

const REASON = ['--reason', 'new block from the carrier']
const NY = 'America/New_York'

describe.each(BACKENDS)('dialtone-ops numbers and reports on %s', (backend) => {
  let svc: TestService
  let admin: Operator
  let support: Operator
  let billing: Operator
  const cli: Record<'admin' | 'support' | 'billing', OpsCli> = {} as never
  let line: TrialLine
  let partnerId = ''

  const login = async (c: OpsCli, op: Operator) => {
    const r = await c.run(['login', '--email', op.email, '--code', freshCode(svc, op.secret)], {
      DIALTONE_OPS_PASSWORD: op.password
    })
    return r.code
  }
  /** A fresh API session (the ones from the start of the file expire when the clock jumps a month). */
  const apiToken = async (op: Operator) =>
    (
      await svc.api<{ token: string }>('POST', '/ops/v1/auth/login', {
        email: op.email,
        password: op.password,
        code: freshCode(svc, op.secret)
      })
    ).body.token
  const poolSize = async () =>
    Number(
      (
        await svc.service.ctx.db
          .selectFrom('number_pool')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n
    )
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
    // Mid-morning in New York, so the day the reports count in does not turn over while the test runs.
    svc.clock.set(`${new Date().toISOString().slice(0, 10)}T15:00:00.000Z`)
    const boot = await bootstrapAdmin(svc.service.ctx, { email: 'root@ops.dialtone.test', name: 'Root' })
    admin = {
      ...(await enrolAndSignIn(svc, 'root@ops.dialtone.test', boot.enrolmentToken)),
      id: boot.operator.id
    }
    support = await makeOperator(svc, admin.token, 'support')
    billing = await makeOperator(svc, admin.token, 'billing')
    for (const [who, op] of [
      ['admin', admin],
      ['support', support],
      ['billing', billing]
    ] as const) {
      cli[who] = new OpsCli(svc)
      expect(await login(cli[who], op)).toBe(0)
    }
  }, 60_000)
  afterAll(() => svc.close())

  it('add-range puts a new area code on offer to the trial form; bad ranges and other roles change nothing', async () => {
    const offered = async () =>
      (await svc.api<{ available: boolean }>('GET', '/v1/numbers/area-codes/305')).body.available
    expect(await offered()).toBe(false)
    const before = await poolSize()
    const bad: [string[], string][] = [
      [['305', '2125550100', '2125550120'], '2125550100 is not in area code 305'],
      [['305', '3055550150', '3055550100'], 'the range ends before it starts'],
      [['305', '3052000100', '3052010100'], 'a range stays within one exchange'],
      [['305', '3052000000', '3052001999'], 'a range holds at most 1000 numbers'],
      [['305', '3054110100', '3054110199'], '3054110100 is not a valid NANP number'],
      [['800', '8002000100', '8002000199'], '800 is not a US or Canadian geographic area code'],
      [['305', '3055551200', '3055551299'], '555 numbers other than 555-0100..0199']
    ]
    // The first through the CLI (its exit code and message); the rest through the same API, which is faster.
    const [[first = [], firstMessage = ''] = [], ...rest] = bad
    const viaCli = await cli.admin.run([
      'numbers',
      'add-range',
      '--area',
      first[0] ?? '',
      '--from',
      first[1] ?? '',
      '--to',
      first[2] ?? '',
      ...REASON
    ])
    expect(viaCli.code).toBe(3)
    expect(viaCli.stderr).toContain(firstMessage)
    for (const [[areaCode = '', from = '', to = ''], message] of rest) {
      const r = await svc.api<{ error: { message: string } }>(
        'POST',
        '/ops/v1/numbers/ranges',
        { areaCode, from, to, reason: REASON[1] },
        admin.token
      )
      expect([areaCode, from, to, r.status]).toEqual([areaCode, from, to, 400])
      expect(r.body.error.message).toContain(message)
    }
    const args = ['numbers', 'add-range', '--area', '305', '--from', '(305) 555-0100', '--to', '3055550149']
    expect((await cli.admin.run(args)).code).toBe(2) // no reason
    expect((await cli.support.run([...args, ...REASON])).code).toBe(5)
    expect((await cli.billing.run([...args, ...REASON])).code).toBe(5)
    expect(await poolSize()).toBe(before)
    expect(await offered()).toBe(false)

    const added = await cli.admin.json<{ added: number; from: string; to: string; country: string }>([
      ...args,
      ...REASON
    ])
    expect(added).toEqual({
      areaCode: '305',
      country: 'US',
      from: '+13055550100',
      to: '+13055550149',
      added: 50
    })
    expect(await poolSize()).toBe(before + 50)
    expect(await offered()).toBe(true)

    const overlap = await cli.admin.run([
      'numbers',
      'add-range',
      '--area',
      '305',
      '--from',
      '3055550140',
      '--to',
      '3055550160',
      ...REASON
    ])
    expect(overlap.code).toBe(3)
    expect(overlap.stderr).toContain('10 number(s) of this range are in the pool already')
    expect(overlap.stderr).toContain('+13055550149: in the pool already (available)')
    expect(await poolSize()).toBe(before + 50) // 0150..0160 were not added either

    const list = await cli.support.run(['numbers', 'list', '--area', '305'])
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/^305\s+US\s+50\s+0\s+0\s+50$/m)
    expect((await cli.billing.run(['numbers', 'list'])).code).toBe(5)

    const rows = await audit('numbers-add-range')
    expect(rows.filter((r) => r.outcome === 'ok').map((r) => [r.actor_id, r.reason, r.target])).toEqual([
      [admin.id, 'new block from the carrier', '305']
    ])
    expect(
      rows
        .filter((r) => r.outcome === 'refused')
        .map((r) => r.actor_id)
        .sort()
    ).toEqual([support.id, billing.id].sort())
    expect(rows.filter((r) => r.outcome === 'failed')).toHaveLength(bad.length + 1)
  }, 60_000)

  it('a released number shows in quarantine with since and until; the pool counts it apart', async () => {
    line = await trialLine(svc, { areaCode: '305', name: '=HYPERLINK("http://evil.test/","open")' })
    const first = await svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, line.token)
    const old = first.body.number
    expect(old).toMatch(/^\+130555501[0-4]\d$/)
    const released = svc.clock.now().toISOString()
    const moved = await svc.api('POST', `/v1/lines/${line.lineId}/number`, { areaCode: '305' }, line.token)
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    const q = await cli.support.json<{ numbers: { number: string; since: string; until: string }[] }>([
      'numbers',
      'quarantine',
      '--area',
      '305'
    ])
    expect(q.numbers).toEqual([
      {
        number: old,
        areaCode: '305',
        since: released,
        until: new Date(Date.parse(released) + 90 * DAY).toISOString()
      }
    ])
    const human = await cli.admin.run(['numbers', 'quarantine'])
    expect(human.stdout).toMatch(/NUMBER\s+AREACODE\s+SINCE\s+UNTIL/)
    expect(human.stdout).toContain(old)
    const list = await cli.admin.run(['numbers', 'list', '--area', '305'])
    expect(list.stdout).toMatch(/^305\s+US\s+48\s+1\s+1\s+50$/m)
    expect((await cli.billing.run(['numbers', 'quarantine'])).code).toBe(5)
  }, 60_000)

  it("reports: the figures equal what happened, days in New York, cells safe for spreadsheets, billing's and admin's only", async () => {
    const ctx = svc.service.ctx
    const day1 = localDate(svc.clock.now(), NY)
    const online = await renew(
      svc,
      line.token,
      line.lineId,
      'line-1m@1',
      { card: CARDS.ok, save: true },
      { autoRenew: true }
    )
    expect(online.status, JSON.stringify(online.body)).toBe(201)
    const paidOnline = online.body.total.amountMinor

    // The auto-renewal, a day before paid-through.
    const through = new Date(online.body.items[0]?.paidThrough ?? '')
    svc.clock.set(new Date(through.getTime() - DAY + 60_000))
    const day2 = localDate(svc.clock.now(), NY)
    await runAutoRenew(ctx)
    const charged = await ctx.db
      .selectFrom('sandbox_charges')
      .select('amount_minor')
      .where('idempotency_key', 'like', 'autorenew:%')
      .execute()
    expect(charged).toHaveLength(1)
    const paidAuto = charged[0]?.amount_minor ?? 0

    // A Re-Up card made, shipped, sold at the till and redeemed the same day.
    for (const [who, op] of [
      ['admin', admin],
      ['support', support],
      ['billing', billing]
    ] as const)
      expect(await login(cli[who], op)).toBe(0)
    const made = await cli.billing.json<{ batchId: string }>([
      'vouchers',
      'create-batch',
      '--name',
      'Report batch',
      '--plan',
      'line-1y@1',
      '--size',
      '2',
      '--expires',
      '2035-12-31',
      '--reason',
      'stock for the report'
    ])
    const pins = join(cli.billing.home, 'pins.csv')
    expect(
      (await cli.billing.run(['vouchers', 'export-pins', made.batchId, '--reason', 'printer', '--out', pins]))
        .code
    ).toBe(0)
    const [card] = readFileSync(pins, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(','))
    const partner = await cli.admin.json<{ partner: { id: string } }>([
      'partners',
      'create',
      '--name',
      '+Corner Shop',
      '--kind',
      'retail'
    ])
    partnerId = partner.partner.id
    const keyFile = join(cli.admin.home, 'till.key')
    expect((await cli.admin.run(['partners', 'rotate-key', partnerId, '--out', keyFile])).code).toBe(0)
    expect(
      (
        await cli.billing.run([
          'vouchers',
          'ship',
          made.batchId,
          '--partner',
          partnerId,
          '--reason',
          'to the shop'
        ])
      ).code
    ).toBe(0)
    const sold = await cli.admin.run(['vouchers', 'activate', card?.[0] ?? ''], {
      DIALTONE_OPS_API_KEY_FILE: keyFile
    })
    expect(sold.code, sold.stderr).toBe(0)
    const token = await signIn(svc, line)
    const redeemed = await svc.api(
      'POST',
      '/v1/vouchers/redeem',
      { idempotencyKey: key(), code: card?.[1], lineId: line.lineId },
      token
    )
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200)
    const facePrice = (
      await ctx.db
        .selectFrom('plans')
        .select('price_minor')
        .where('id', '=', 'line-1y@1')
        .executeTakeFirstOrThrow()
    ).price_minor

    const out = join(cli.billing.home, 'renewals.csv')
    const written = await cli.billing.run(['reports', 'renewals', '--from', day1, '--to', day2, '--out', out])
    expect(written.code, written.stderr).toBe(0)
    expect(written.stdout).toContain(
      `2 row(s) of renewals (days in ${NY}, ${day1} to ${day2}) written to ${out}`
    )
    expect(statSync(out).mode & 0o777).toBe(0o600)
    expect(readFileSync(out, 'utf8')).toBe(
      'date,currency,online_renewals,online_revenue,auto_renewals,auto_revenue,reup_renewals,renewals,revenue\r\n' +
        `${day1},USD,1,${money(paidOnline)},0,0.00,0,1,${money(paidOnline)}\r\n` +
        `${day2},USD,0,0.00,1,${money(paidAuto)},1,2,${money(paidAuto)}\r\n`
    )
    const vouchers = await cli.admin.run(['reports', 'vouchers', '--from', day1, '--to', day2])
    expect(vouchers.code, vouchers.stderr).toBe(0)
    expect(vouchers.stdout).toBe(
      'date,batch_id,batch_name,partner,plan,sold,redeemed,sold_value,currency\r\n' +
        `${day2},${made.batchId},Report batch,'+Corner Shop,line-1y@1,1,1,${money(facePrice)},USD\r\n`
    )
    const active = await cli.billing.run(['reports', 'active-lines'])
    expect(active.code, active.stderr).toBe(0)
    const mine = active.stdout.split('\r\n').find((r) => r.startsWith(line.lineId)) ?? ''
    expect(mine).toContain(`,"'=HYPERLINK(""http://evil.test/"",""open"")",${line.email},`)
    expect(active.stdout).not.toMatch(/(^|,)=HYPERLINK/m)

    expect((await cli.support.run(['reports', 'active-lines'])).code).toBe(5)
    const refused = [
      ['reports', 'renewals', '--from', day2, '--to', day1],
      ['reports', 'vouchers', '--from', '2025-01-01', '--to', '2026-02-01'],
      ['reports', 'renewals', '--from', day1, '--to', day2, '--zone', 'Mars/Olympus'],
      ['reports', 'vouchers', '--from', '2026-13-01', '--to', day2]
    ]
    const billingToken = await apiToken(billing)
    expect((await cli.billing.run(refused[0] ?? [])).code).toBe(3)
    for (const [, kind, , from, , to, , zone] of refused.slice(1)) {
      const q = new URLSearchParams({ from: from ?? '', to: to ?? '', ...(zone ? { zone } : {}) })
      const r = await svc.api('GET', `/ops/v1/reports/${kind}?${q}`, undefined, billingToken)
      expect([kind, from, to, zone, r.status]).toEqual([kind, from, to, zone, 400])
    }
    expect((await cli.billing.run(['reports', 'renewals', '--from', day1])).code).toBe(2)
  }, 120_000)

  it('registry ship records where a dongle went; show lists made, shipped, sold in order; a bad shipment ships nothing', async () => {
    const csv = join(cli.admin.home, 'factory.csv')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(csv, registryCsv(`S${backend.toUpperCase()}`, 3))
    expect(
      (await cli.admin.run(['registry', 'import', csv, '--batch', 'F-SHIP', '--reason', 'factory batch']))
        .code
    ).toBe(0)
    const [s0, s1, s2] = [0, 1, 2].map((i) => `S${backend.toUpperCase()}-000${i}`)
    const shipped = () => svc.service.ctx.db.selectFrom('device_shipments').select('serial').execute()
    const unknown = await cli.admin.run([
      'registry',
      'ship',
      `${s0},NO-SUCH-SERIAL`,
      '--partner',
      partnerId,
      ...REASON
    ])
    expect(unknown.code).toBe(3)
    expect(unknown.stderr).toContain('NO-SUCH-SERIAL: not in the manufacturing registry')
    expect(
      (await cli.support.run(['registry', 'ship', s0 ?? '', '--partner', partnerId, ...REASON])).code
    ).toBe(5)
    expect(await shipped()).toEqual([])
    const ok = await cli.admin.json<{ shipped: number }>([
      'registry',
      'ship',
      `${s0},${s1}`,
      '--partner',
      partnerId,
      ...REASON
    ])
    expect(ok.shipped).toBe(2)
    const again = await cli.admin.run(['registry', 'ship', `${s1},${s2}`, '--partner', partnerId, ...REASON])
    expect(again.code).toBe(3)
    expect(again.stderr).toContain(`${s1}: shipped already`)
    expect((await shipped()).map((r) => r.serial).sort()).toEqual([s0, s1])

    svc.clock.advance(60_000)
    await webShopOrder(svc, {
      number: `WS-${backend}-1`,
      email: 'buyer@example.test',
      serial: s0 ?? '',
      months: 0
    })
    const show = await cli.support.json<{ history: { event: string; detail: string }[] }>([
      'registry',
      'show',
      s0 ?? ''
    ])
    expect(show.history.map((h) => [h.event, h.detail])).toEqual([
      ['made', 'factory batch F-SHIP, model 06e6:c200'],
      ['shipped', 'to retail partner +Corner Shop'],
      ['sold', `web-shop order WS-${backend}-1`]
    ])
  }, 60_000)

  it('an action whose audit row cannot be written leaves nothing behind, and the failure is still audited', async () => {
    const db = svc.service.ctx.db
    const actions = "('numbers-add-range', 'operators-disable')"
    if (backend === 'sqlite')
      await sql
        .raw(
          `CREATE TRIGGER test_audit_refuses BEFORE INSERT ON ops_audit WHEN NEW.outcome = 'ok' AND NEW.action IN ${actions} BEGIN SELECT RAISE(ABORT, 'forced audit failure'); END`
        )
        .execute(db)
    else {
      await sql
        .raw(
          `CREATE FUNCTION test_audit_refuses() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.outcome = 'ok' AND NEW.action IN ${actions} THEN RAISE EXCEPTION 'forced audit failure'; END IF; RETURN NEW; END $$`
        )
        .execute(db)
      await sql
        .raw(
          'CREATE TRIGGER test_audit_refuses BEFORE INSERT ON ops_audit FOR EACH ROW EXECUTE FUNCTION test_audit_refuses()'
        )
        .execute(db)
    }
    const before = await poolSize()
    const range = [
      'numbers',
      'add-range',
      '--area',
      '305',
      '--from',
      '3055550170',
      '--to',
      '3055550179',
      ...REASON
    ]
    expect((await cli.admin.run(range)).code).toBe(7)
    expect(await poolSize()).toBe(before)
    expect((await cli.admin.run(['operators', 'disable', billing.id, '--reason', 'audit probe'])).code).toBe(
      7
    )
    expect((await cli.billing.run(['whoami'])).code).toBe(0) // still active, session intact
    for (const action of ['numbers-add-range', 'operators-disable'])
      expect((await audit(action)).at(-1)).toMatchObject({
        outcome: 'failed',
        error: 'internal',
        actor_id: admin.id
      })

    if (backend === 'sqlite') await sql.raw('DROP TRIGGER test_audit_refuses').execute(db)
    else {
      await sql.raw('DROP TRIGGER test_audit_refuses ON ops_audit').execute(db)
      await sql.raw('DROP FUNCTION test_audit_refuses()').execute(db)
    }
    svc.clock.advance(1000) // the audit rows sort by time: the retry's after the failures
    expect((await cli.admin.run(range)).code).toBe(0)
    expect(await poolSize()).toBe(before + 10)
    expect((await audit('numbers-add-range')).at(-1)?.outcome).toBe('ok')

    // A double submit adds the range once; the other is told the numbers are there.
    const token = await apiToken(admin)
    const body = { areaCode: '305', from: '3055550180', to: '3055550189', reason: 'double submit' }
    const both = await Promise.all([1, 2].map(() => svc.api('POST', '/ops/v1/numbers/ranges', body, token)))
    expect(both.map((r) => r.status).sort()).toEqual([201, 409])
    expect(await poolSize()).toBe(before + 20)
  }, 60_000)

  it('disabling an operator ends their open session at once and refuses sign-in; enabling lets them sign in anew', async () => {
    expect((await cli.support.run(['whoami'])).code).toBe(0)
    const off = await cli.admin.json<{ operator: { status: string }; sessionsEnded: number }>([
      'operators',
      'disable',
      support.id,
      '--reason',
      'left the company'
    ])
    expect(off.operator.status).toBe('disabled')
    expect(off.sessionsEnded).toBe(1) // the CLI's (the API one from the start of the file has expired)
    expect((await cli.support.run(['whoami'])).code).toBe(4)
    expect((await svc.api('GET', '/ops/v1/me', undefined, support.token)).status).toBe(401)
    expect(await login(cli.support, support)).toBe(4)
    const refusals = (await audit('auth-login')).filter((r) => r.outcome === 'refused').map((r) => r.error)
    expect(refusals.at(-1)).toBe('operator disabled')

    expect((await cli.billing.run(['operators', 'disable', admin.id, '--reason', 'not allowed'])).code).toBe(
      5
    )
    const self = await cli.admin.run(['operators', 'disable', admin.id, '--reason', 'by mistake'])
    expect(self.code).toBe(3)
    expect(self.stderr).toContain('an admin cannot disable themself')
    const twice = await cli.admin.run(['operators', 'disable', support.id, '--reason', 'left the company'])
    expect(twice.code).toBe(3)
    expect(
      (await cli.admin.run(['operators', 'disable', 'opr_nosuchoperator0', '--reason', 'typo test'])).code
    ).toBe(6)
    expect((await cli.admin.run(['operators', 'enable', support.id])).code).toBe(2) // a reason is required

    const on = await cli.admin.json<{ operator: { status: string } }>([
      'operators',
      'enable',
      support.id,
      '--reason',
      'came back'
    ])
    expect(on.operator.status).toBe('active')
    expect((await cli.support.run(['whoami'])).code).toBe(4) // the old session stays ended
    expect(await login(cli.support, support)).toBe(0)
    expect((await cli.support.run(['whoami'])).code).toBe(0)
    const rows = await audit('operators-disable')
    expect(
      rows.filter((r) => r.outcome === 'ok').map((r) => [r.target, r.reason, r.before, r.after])
    ).toEqual([
      [
        support.id,
        'left the company',
        JSON.stringify({ status: 'active' }),
        JSON.stringify({ status: 'disabled', sessionsEnded: off.sessionsEnded })
      ]
    ])
  }, 60_000)

  it('two admins disabling each other at once leave one active admin', async () => {
    const token = await apiToken(admin)
    const second = await makeOperator(svc, token, 'admin')
    const [a, b] = await Promise.all([
      svc.api('POST', `/ops/v1/operators/${second.id}/disable`, { reason: 'race one' }, token),
      svc.api('POST', `/ops/v1/operators/${admin.id}/disable`, { reason: 'race two' }, second.token)
    ])
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1)
    expect([a.status, b.status].every((s) => s === 200 || s === 401 || s === 409)).toBe(true)
    const active = await svc.service.ctx.db
      .selectFrom('operators')
      .select('id')
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .execute()
    expect(active).toHaveLength(1)
  }, 60_000)
})
