/**
 * `dialtone-ops accounts …` end to end on SQLite and PostgreSQL (issue 20), through the real CLI process: finding
 * accounts by email, number and serial (support sees no card details), suspending and restoring a line (its SIP
 * service goes and comes back; twice is refused; a race suspends once), clearing sign-in delays, sending codes
 * again, business and legal-entity accounts whose contact chooses the password with the emailed invitation,
 * moving a dongle (the registry's history shows it transferred) and a legal entity's written plan change for the
 * next 1st, shown to the customer like any pending change. Every role is tried where it may not act (exit 5,
 * audited), and bad input changes nothing. Looking at a person's account (find, show, history) needs a reason, kept
 * in the audit log with the ids looked at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccountView } from '../../../src/shared/ops/routes-accounts'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { firstOfNextMonth, localDate } from '../../../src/shared/time/business-dates'
import { OpsCli, enrolAndSignIn, freshCode, makeOperator } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { topUp } from '../../support/billing-flows'
import {
  BILLING,
  type TrialLine,
  US_ADDRESS,
  latestSecret,
  lineNumber,
  mailbox,
  startTrial,
  trialLine
} from '../../support/service-flows'

type Role = 'admin' | 'support' | 'billing'

/** Why the operators below look at the person's account (find, show, history need one: accounts.read). */
const LOOK = 'the person called support, ticket 4410'

describe.each(BACKENDS)('dialtone-ops accounts on %s', (backend) => {
  let svc: TestService
  const cli = {} as Record<Role, OpsCli>
  const tokens = {} as Record<Role, string>
  const ids = {} as Record<Role, string>
  let person: TrialLine
  let number = ''
  let legal = { id: '', email: 'office@acme-legal.test', password: 'Acme ledger 2027 spring', token: '' }
  let businessId = ''

  const db = () => svc.service.ctx.db
  const count = async (table: 'accounts' | 'line_suspensions' | 'outbox' | 'device_transfers') =>
    Number(
      (await db().selectFrom(table).select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
    )
  const lastAudit = (action: string, outcome: 'ok' | 'refused' = 'ok') =>
    db()
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', '=', action)
      .where('outcome', '=', outcome)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
  /** Every code or token mailed to an address for a purpose, in the order the mailbox gives them. */
  const secrets = async (to: string, purpose: string) =>
    (await mailbox(svc, to))
      .filter((m) => m.purpose === purpose)
      .map((m) => /\b(dt[rx]_[A-Za-z0-9_-]{43}|\d{6})\b/.exec(m.body ?? '')?.[1] ?? '')
  /** The one secret sent since `before` (whatever order the mailbox lists them in). */
  const newSecret = async (to: string, purpose: string, before: string) => {
    const fresh = (await secrets(to, purpose)).filter((x) => x !== before)
    expect(fresh).toHaveLength(1)
    return fresh[0] ?? ''
  }
  const find = (role: Role, ...args: string[]) =>
    cli[role].json<{ accounts: AccountView[] }>(['accounts', 'find', ...args, '--reason', LOOK])

  const accounts = {} as Record<Role, { email: string; password: string; secret: string }>
  /** Every role's CLI signs in (again, after the clock jumped past the sessions' idle limit). */
  async function signInAll(): Promise<void> {
    for (const role of ['admin', 'support', 'billing'] as const) {
      const o = accounts[role]
      const login = await cli[role].json<{ operator: unknown }>(
        ['login', '--email', o.email, '--code', freshCode(svc, o.secret)],
        { DIALTONE_OPS_PASSWORD: o.password }
      )
      expect(login.operator).toBeTruthy()
      const r = await svc.api<{ token: string }>('POST', '/ops/v1/auth/login', {
        email: o.email,
        password: o.password,
        code: freshCode(svc, o.secret)
      })
      tokens[role] = r.body.token
    }
  }

  beforeAll(async () => {
    svc = await startTestService(backend)
    const boot = await bootstrapAdmin(svc.service.ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
    const admin = {
      ...(await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)),
      id: boot.operator.id
    }
    const ops = {
      admin,
      support: await makeOperator(svc, admin.token, 'support'),
      billing: await makeOperator(svc, admin.token, 'billing')
    }
    for (const role of ['admin', 'support', 'billing'] as const) {
      accounts[role] = ops[role]
      cli[role] = new OpsCli(svc)
      ids[role] = ops[role].id
    }
    await signInAll()
    person = await trialLine(svc)
    number = await lineNumber(svc, person.token, person.lineId)
  }, 120_000)
  afterAll(() => svc.close())

  it('finds an account by email, number and serial with its lines, numbers and dongles; support sees no card details', async () => {
    const byEmail = await find('support', '--email', person.email)
    expect(byEmail.accounts).toHaveLength(1)
    const a = byEmail.accounts[0]
    expect(a).toMatchObject({ id: person.accountId, type: 'individual', status: 'active', cards: null })
    expect(a?.lines).toMatchObject([
      { id: person.lineId, number, deviceSerial: person.serial, status: 'in_service', suspendedAt: null }
    ])
    expect(a?.devices.map((d) => d.serial)).toEqual([person.serial])
    expect((await find('support', '--number', number)).accounts.map((x) => x.id)).toEqual([person.accountId])
    expect(
      (await find('support', '--serial', person.serial.toLowerCase())).accounts.map((x) => x.id)
    ).toEqual([person.accountId])
    expect((await find('billing', '--email', person.email)).accounts[0]?.cards).toEqual([])

    const shown = await cli.support.run(['accounts', 'show', person.accountId, '--reason', LOOK])
    expect(shown.code, shown.stderr).toBe(0)
    for (const s of [number, person.serial, 'in_service', person.email]) expect(shown.stdout).toContain(s)
    expect(shown.stdout).not.toMatch(/scrypt|password|dtr_|gateway/i)

    const unknown = [
      ['--email', 'nobody@example.test'],
      ['--serial', 'MJNOSUCHSERIAL1'],
      ['--number', '+1 (999) 555-0100']
    ]
    for (const args of unknown) {
      const r = await cli.support.run(['accounts', 'find', ...args, '--reason', LOOK])
      expect([args[0], r.code]).toEqual([args[0], 6])
      expect(r.stderr).toMatch(/was not found/)
    }
    const two = await cli.support.run([
      'accounts',
      'find',
      '--email',
      person.email,
      '--serial',
      person.serial,
      '--reason',
      LOOK
    ])
    expect(two.code).toBe(2)
    expect(two.stderr).toContain('exactly one of --email, --number or --serial')
    expect((await cli.support.run(['accounts', 'show', 'acc_nosuchaccount00', '--reason', LOOK])).code).toBe(
      6
    )
  }, 60_000)

  it('looking at an account needs a reason: refused without one (CLI and API), kept in the audit log with one', async () => {
    const auditRows = async () =>
      Number(
        (
          await db()
            .selectFrom('ops_audit')
            .select(db().fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n
      )
    const looks = [
      {
        action: 'accounts-find',
        args: ['accounts', 'find', '--email', person.email],
        path: `/ops/v1/accounts?email=${encodeURIComponent(person.email)}`
      },
      {
        action: 'accounts-show',
        args: ['accounts', 'show', person.accountId],
        path: `/ops/v1/accounts/${person.accountId}`
      },
      {
        action: 'accounts-history',
        args: ['accounts', 'history', person.accountId],
        path: `/ops/v1/accounts/${person.accountId}/history`
      }
    ]
    for (const look of looks) {
      const rows = await auditRows()
      // The CLI: a usage error naming the flag, before anything is asked of the service.
      const bare = await cli.support.run(look.args)
      expect([look.action, bare.code, bare.stdout]).toEqual([look.action, 2, ''])
      expect(bare.stderr).toBe('dialtone-ops: --reason is required\n')
      // The API: the route's validation error, naming the reason.
      const api = await svc.api<{ error: { code: string; reason: string; issues: { path: string }[] } }>(
        'GET',
        look.path,
        undefined,
        tokens.support
      )
      expect([look.action, api.status]).toEqual([look.action, 400])
      expect(api.body.error).toMatchObject({ code: 'invalid-input', reason: 'invalid-input' })
      expect(api.body.error.issues.map((i) => i.path)).toEqual(['querystring.reason'])
      // Too short to say why: refused by the service, through the CLI too.
      const short = await cli.support.run([...look.args, '--reason', 'x'])
      expect([look.action, short.code]).toEqual([look.action, 3])
      expect(short.stderr).toContain('at least 5 characters')
      // Refused input reads nothing and is not audited (as any input that does not read right).
      expect(await auditRows()).toBe(rows)

      const reason = `${look.action}: the owner asked, ticket 5521`
      const done = await cli.support.run([...look.args, '--reason', reason, '--json'])
      expect(done.code, done.stderr).toBe(0)
      expect(done.stdout).toContain(person.accountId)
      // One row, holding the reason: a search's by the ids it found (never the address typed).
      const kept = await db()
        .selectFrom('ops_audit')
        .selectAll()
        .where('action', '=', look.action)
        .where('reason', '=', reason)
        .execute()
      expect(kept).toHaveLength(1)
      expect(kept[0]).toMatchObject({ outcome: 'ok', actor_id: ids.support, target: person.accountId })
      if (look.action === 'accounts-find')
        expect(JSON.parse(kept[0]?.after ?? '{}')).toEqual({ by: 'email', found: [person.accountId] })
    }
  }, 60_000)

  it('support suspends a line (911 and 933 only, twice is refused, a race suspends once) and restores it', async () => {
    const suspend = (role: Role, ...extra: string[]) =>
      cli[role].run(['accounts', 'suspend-line', person.lineId, ...extra])
    const sip = () => svc.api('GET', `/v1/lines/${person.lineId}/sip`, undefined, person.token)
    expect((await sip()).status).toBe(200)

    const billing = await suspend('billing', '--reason', 'billing may not do this')
    expect(billing.code).toBe(5)
    expect((await lastAudit('lines-suspend', 'refused')).actor_id).toBe(ids.billing)
    expect((await suspend('support')).code).toBe(2)
    const short = await svc.api(
      'POST',
      `/ops/v1/lines/${person.lineId}/suspend`,
      { reason: 'x' },
      tokens.support
    )
    expect(short.status).toBe(400)
    expect(await count('line_suspensions')).toBe(0)

    const done = await suspend('support', '--reason', 'chargeback fraud report #4411', '--json')
    expect(done.code, done.stderr).toBe(0)
    expect(JSON.parse(done.stdout)).toMatchObject({ lineId: person.lineId, status: 'suspended' })
    const lines = await svc.api<{
      lines: { status: string; suspendedAt: string | null; missing: string[] }[]
    }>('GET', '/v1/lines', undefined, person.token)
    expect(lines.body.lines[0]).toMatchObject({ status: 'suspended', missing: [] })
    expect(lines.body.lines[0]?.suspendedAt).toBe(svc.clock.now().toISOString())
    // The line keeps its credentials, for 911 and 933 only: Kamailio reads its state (docs/emergency.md).
    expect((await sip()).status).toBe(200)
    const row = await db()
      .selectFrom('subscriber')
      .select('line_state')
      .where('username', '=', number.replace('+', ''))
      .executeTakeFirst()
    expect(row?.line_state).toBe('suspended')
    const audit = await lastAudit('lines-suspend')
    expect(audit).toMatchObject({
      outcome: 'ok',
      reason: 'chargeback fraud report #4411',
      actor_id: ids.support
    })
    expect(JSON.parse(audit.before ?? '{}')).toEqual({ status: 'in_service' })

    // Any operator (billing here, not the one who suspended it) sees why and by whom: the person is told to ask.
    const shown = await cli.billing.json<{ account: AccountView }>([
      'accounts',
      'show',
      person.accountId,
      '--reason',
      'why is this line suspended'
    ])
    expect(shown.account.lines.find((l) => l.id === person.lineId)?.suspension).toEqual({
      reason: 'chargeback fraud report #4411',
      by: expect.stringContaining('@')
    })
    const twice = await suspend('support', '--reason', 'suspending again by mistake')
    expect(twice.code).toBe(3)
    expect(twice.stderr).toContain('already suspended')
    expect(await count('line_suspensions')).toBe(1)

    const restored = await cli.support.json<{ status: string }>([
      'accounts',
      'restore-line',
      person.lineId,
      '--reason',
      'fraud report withdrawn'
    ])
    expect(restored.status).toBe('in_service')
    expect((await sip()).status).toBe(200)
    const restoredRow = await db()
      .selectFrom('subscriber')
      .select('line_state')
      .where('username', '=', number.replace('+', ''))
      .executeTakeFirst()
    expect(restoredRow?.line_state).toBe('in_service')
    const again = await cli.support.run([
      'accounts',
      'restore-line',
      person.lineId,
      '--reason',
      'once more please'
    ])
    expect(again.code).toBe(3)
    expect(again.stderr).toContain('is not suspended')

    const race = await Promise.all(
      Array.from({ length: 6 }, () =>
        svc.api('POST', `/ops/v1/lines/${person.lineId}/suspend`, { reason: 'double submit' }, tokens.support)
      )
    )
    expect(race.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409])
    const open = await db()
      .selectFrom('line_suspensions')
      .select('id')
      .where('line_id', '=', person.lineId)
      .where('restored_at', 'is', null)
      .execute()
    expect(open).toHaveLength(1)
    const back = await svc.api<{ status: string }>(
      'POST',
      `/ops/v1/lines/${person.lineId}/restore`,
      { reason: 'race test done' },
      tokens.admin
    )
    expect(back.body.status).toBe('in_service')
    expect(
      (await cli.support.run(['accounts', 'suspend-line', 'lin_nosuchline00000', '--reason', 'no such line']))
        .code
    ).toBe(6)
    // A phone number where the line's id goes: one sentence saying where ids are found, not the schema's words.
    const byNumber = await cli.support.run([
      'accounts',
      'suspend-line',
      '+12125550100',
      '--reason',
      'by number'
    ])
    expect(byNumber.code).toBe(2)
    expect(byNumber.stderr).toBe(
      'dialtone-ops: "+12125550100" is not a line id: line ids look like lin_… (`dialtone-ops accounts find --email E --reason R` shows them)\n'
    )
  }, 60_000)

  it('support clears the sign-in delays of an account; billing may not', async () => {
    const signIn = (password: string) =>
      svc.api('POST', '/v1/auth/sign-in', { identifier: person.email, password })
    let status = 0
    for (let i = 0; i < 10 && status !== 429; i++) status = (await signIn('not the password at all')).status
    expect(status).toBe(429)
    expect((await signIn(person.password)).status).toBe(429)
    expect((await find('support', '--email', person.email)).accounts[0]?.signInDelayed).toBe(true)

    expect((await cli.billing.run(['accounts', 'unlock', person.accountId])).code).toBe(5)
    const out = await cli.support.json<{ cleared: number }>(['accounts', 'unlock', person.accountId])
    expect(out.cleared).toBeGreaterThan(0)
    expect((await signIn(person.password)).status).toBe(200)
    const none = await cli.support.run(['accounts', 'unlock', person.accountId])
    expect(none.stdout).toContain('nothing to clear')
    expect((await cli.support.run(['accounts', 'unlock', 'acc_nosuchaccount00'])).code).toBe(6)
  }, 60_000)

  it('support sends a waiting trial code or sign-up code again; nothing waiting is refused and sends nothing', async () => {
    const { r, req } = await startTrial(svc)
    expect(r.status).toBe(202)
    const first = await latestSecret(svc, req.email, 'trial-code')
    const out = await cli.support.json<{ sent: { kind: string }[] }>([
      'accounts',
      'resend-code',
      '--email',
      req.email
    ])
    expect(out.sent.map((s) => s.kind)).toEqual(['trial-code'])
    expect((await mailbox(svc, req.email)).filter((m) => m.purpose === 'trial-code')).toHaveLength(2)
    const second = await newSecret(req.email, 'trial-code', first)
    const trialId = (r.body as { trialId: string }).trialId
    const activated = await svc.api('POST', '/v1/trials/activate', { trialId, code: second })
    expect(activated.status, JSON.stringify(activated.body)).toBe(201)

    const phone = '+12015550142'
    // Asked from a Slovene app: support's new code is texted in Slovene too, as the first was.
    expect((await svc.api('POST', '/v1/signup/phone', { phone, language: 'sl' })).status).toBeLessThan(300)
    const sms = await cli.support.json<{ sent: { kind: string; to: string }[] }>([
      'accounts',
      'resend-code',
      '--number',
      '(201) 555-0142'
    ])
    expect(sms.sent).toEqual([{ kind: 'signup-code', to: phone, accountId: null }])
    const texts = (await mailbox(svc, phone)).filter((m) => m.purpose === 'phone-signup')
    expect(
      texts.map((m) => /^Vaša koda Dialtone je \d{6}\. Poteče čez 10 minut\.$/.test(m.body ?? ''))
    ).toEqual([true, true])

    const outbox = await count('outbox')
    const nothing = await cli.support.run(['accounts', 'resend-code', '--email', person.email])
    expect(nothing.code).toBe(3)
    expect(nothing.stderr).toContain('no code is waiting')
    expect(await count('outbox')).toBe(outbox)
    expect((await cli.billing.run(['accounts', 'resend-code', '--email', req.email])).code).toBe(5)
  }, 60_000)

  it('audits searches and re-sent codes by the accounts found and the kind of search, never the email or number typed', async () => {
    // Run after the searches and re-sends above (found and not found); the audit is append-only, so an address
    // or number kept in it could never be erased.
    const rows = await db()
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', 'in', ['accounts-find', 'accounts-resend-code'])
      .execute()
    const finds = rows.filter((r) => r.action === 'accounts-find')
    expect(finds.filter((r) => r.outcome === 'ok').length).toBeGreaterThanOrEqual(4)
    expect(finds.filter((r) => r.outcome === 'failed').length).toBeGreaterThanOrEqual(3)
    const byEmail = finds.find((r) => r.outcome === 'ok' && JSON.parse(r.after ?? '{}').by === 'email')
    expect(byEmail?.target).toBe(person.accountId)
    expect(JSON.parse(byEmail?.after ?? '{}')).toEqual({ by: 'email', found: [person.accountId] })
    // Why the operator looked goes with the ids looked at, found or not.
    expect(byEmail?.reason).toBe(LOOK)
    expect(finds.filter((r) => !r.reason)).toEqual([])
    const kinds = new Set(finds.map((r) => (JSON.parse(r.after ?? '{}') as { by?: string }).by))
    expect(kinds).toEqual(new Set(['email', 'number', 'serial', undefined]))
    const resent = rows.filter((r) => r.action === 'accounts-resend-code' && r.outcome === 'ok')
    expect(resent.map((r) => (JSON.parse(r.after ?? '{}') as { by: string }).by).sort()).toEqual([
      'email',
      'number'
    ])
    const typed = [
      person.email,
      number,
      number.slice(2),
      'nobody@example.test',
      '9995550100',
      '+12015550142',
      '2015550142',
      '555-0142'
    ]
    for (const r of rows)
      for (const value of typed) expect(JSON.stringify(r), `${r.action} ${r.outcome}`).not.toContain(value)
  })

  it('billing creates business and legal-entity accounts; the contact chooses the password with the emailed invitation', async () => {
    const create = (role: Role, type: string, email: string, company: string) =>
      cli[role].run([
        'accounts',
        'create',
        '--type',
        type,
        '--company',
        company,
        '--contact',
        'Dana Office',
        '--email',
        email,
        '--street',
        BILLING.street,
        '--city',
        BILLING.city,
        '--region',
        BILLING.region,
        '--postal-code',
        BILLING.postalCode,
        '--country',
        BILLING.country,
        '--time-zone',
        'America/New_York',
        '--json'
      ])
    expect((await create('support', 'business', 'x@acme.test', 'Acme')).code).toBe(5)
    const accounts = await count('accounts')
    const taken = await create('billing', 'legal-entity', person.email, 'Taken Inc')
    expect(taken.code).toBe(3)
    expect(taken.stderr).toContain('another account has confirmed')
    expect((await create('billing', 'charity', 'y@acme.test', 'Acme')).code).toBe(2)
    expect(await count('accounts')).toBe(accounts)

    const made = await create('billing', 'legal-entity', legal.email, 'Acme Legal LLC')
    expect(made.code, made.stderr).toBe(0)
    const view = JSON.parse(made.stdout) as { account: AccountView }
    expect(view.account).toMatchObject({
      type: 'legal_entity',
      company: 'Acme Legal LLC',
      name: 'Dana Office',
      timeZone: 'America/New_York',
      emails: [{ address: legal.email, verified: false }],
      invitation: { email: legal.email, acceptedAt: null }
    })
    legal.id = view.account.id
    const business = await create('billing', 'business', 'desk@acme-shop.test', 'Acme Shop')
    expect(business.code, business.stderr).toBe(0)
    businessId = (JSON.parse(business.stdout) as { account: AccountView }).account.id

    // Asked again while the invitation waits, or double-submitted: one account, one invitation.
    const again = await create('billing', 'legal-entity', legal.email, 'Acme Legal LLC')
    expect(again.code).toBe(3)
    expect(again.stderr).toContain('is waiting already')
    const before = await count('accounts')
    const race = await Promise.all(
      Array.from({ length: 5 }, () =>
        svc.api(
          'POST',
          '/ops/v1/accounts',
          {
            type: 'business',
            company: 'Double Submit Ltd',
            contactName: 'Pat',
            email: 'pat@double.test',
            billingAddress: BILLING
          },
          tokens.billing
        )
      )
    )
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409])
    expect(await count('accounts')).toBe(before + 1)

    const early = await svc.api('POST', '/v1/auth/sign-in', {
      identifier: legal.email,
      password: legal.password
    })
    expect(early.status).toBe(401)
    const firstCode = await latestSecret(svc, legal.email, 'account-invitation')
    const resent = await cli.support.json<{ sent: { kind: string }[] }>([
      'accounts',
      'resend-code',
      '--email',
      legal.email
    ])
    expect(resent.sent.map((s) => s.kind)).toEqual(['invitation'])
    const code = await newSecret(legal.email, 'account-invitation', firstCode)
    const old = await svc.api('POST', '/v1/auth/password/reset', {
      token: firstCode,
      password: legal.password
    })
    expect(old.status).toBe(410)
    svc.clock.advance(3 * 24 * 60 * 60_000) // days later: the invitation still works (7 days), unlike a reset code
    await signInAll()
    const set = await svc.api('POST', '/v1/auth/password/reset', { token: code, password: legal.password })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    const signedIn = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: legal.email,
      password: legal.password
    })
    expect(signedIn.status).toBe(200)
    legal = { ...legal, token: signedIn.body.token }
    const after = await cli.support.json<{ account: AccountView }>([
      'accounts',
      'show',
      legal.id,
      '--reason',
      'the contact says the invitation worked'
    ])
    expect(after.account.emails[0]?.verified).toBe(true)
    expect(after.account.invitation?.acceptedAt).not.toBeNull()
  }, 60_000)

  it('admin moves a dongle between accounts with a reason; the registry shows it transferred; bad moves change nothing', async () => {
    // The test service's dongles are in the manufacturing registry, so the serial's history can be read.

    const move = (role: Role, ...args: string[]) => cli[role].run(['accounts', 'move-device', ...args])
    const transfers = await count('device_transfers')
    expect((await move('support', person.serial, '--to', legal.id, '--reason', 'support may not')).code).toBe(
      5
    )
    expect((await move('admin', person.serial, '--to', legal.id)).code).toBe(2)
    const same = await move('admin', person.serial, '--to', person.accountId, '--reason', 'same account')
    expect(same.code).toBe(3)
    expect(same.stderr).toContain('already on the account')
    expect(
      (await move('admin', 'MJNOSUCHSERIAL1', '--to', legal.id, '--reason', 'unknown serial')).code
    ).toBe(6)
    expect(
      (await move('admin', person.serial, '--to', 'acc_nosuchaccount00', '--reason', 'unknown account')).code
    ).toBe(6)
    expect(await count('device_transfers')).toBe(transfers)
    const device = () =>
      db()
        .selectFrom('devices')
        .select('owner_account_id')
        .where('serial', '=', person.serial)
        .executeTakeFirstOrThrow()
    expect((await device()).owner_account_id).toBe(person.accountId)

    const moved = await cli.admin.json<{ lineId: string; number: string; closedLines: string[] }>([
      'accounts',
      'move-device',
      person.serial,
      '--to',
      legal.id,
      '--reason',
      'company bought the dongle, letter on file'
    ])
    expect(moved.closedLines).toEqual([person.lineId])
    expect(moved.number).toMatch(/^\+1201/)
    expect(moved.number).not.toBe(number)
    expect((await device()).owner_account_id).toBe(legal.id)
    const personAgain = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: person.email,
      password: person.password
    })
    const old = await svc.api<{ status: string }>(
      'GET',
      `/v1/lines/${person.lineId}`,
      undefined,
      personAgain.body.token
    )
    expect(old.body.status).toBe('closed')
    const history = await cli.support.json<{ history: { event: string; detail: string }[] }>([
      'registry',
      'show',
      person.serial
    ])
    expect(history.history.map((h) => h.event)).toContain('transferred')
    expect((await lastAudit('devices-move')).reason).toBe('company bought the dongle, letter on file')

    // The company's new line: its 911 address, a tariff, and then its written plan change for the next 1st.
    const e = await svc.api('PUT', `/v1/lines/${moved.lineId}/e911`, { address: US_ADDRESS }, legal.token)
    expect(e.status, JSON.stringify(e.body)).toBe(200)
    await topUp(svc, legal.token, 2000)
    const tariff = await svc.api(
      'POST',
      `/v1/lines/${moved.lineId}/tariff`,
      { planId: 'home-plus@1' },
      legal.token
    )
    expect(tariff.status, JSON.stringify(tariff.body)).toBe(200)
    const self = await svc.api(
      'POST',
      `/v1/lines/${moved.lineId}/plan-change`,
      { toPlanId: 'home-basic@1', effectiveDate: firstOfNextMonth(localDate(svc.clock.now(), 'UTC')) },
      legal.token
    )
    expect(self.status).toBe(403)

    // The plan ids plan-change takes, listed for any operator who reads accounts (plans.read: no reason, as no
    // person's data is in it).
    const plans = await cli.support.json<{ plans: { id: string; code: string; onSale: boolean }[] }>([
      'plans',
      'list'
    ])
    expect(plans.plans).toContainEqual(
      expect.objectContaining({ id: 'home-basic@1', code: 'home-basic', onSale: true })
    )
    expect((await cli.support.run(['plans', 'list'])).stdout).toMatch(/^home-basic@1\s/m)
    const change = (role: Role, account: string, ...extra: string[]) =>
      cli[role].run([
        'accounts',
        'plan-change',
        account,
        '--line',
        moved.lineId,
        '--plan',
        'home-basic@1',
        ...extra
      ])
    expect((await change('support', legal.id, '--reason', 'letter of 3 Dec')).code).toBe(5)
    expect((await change('billing', legal.id)).code).toBe(2)
    const notLegal = await change('billing', businessId, '--reason', 'letter of 3 Dec')
    expect(notLegal.code).toBe(3)
    expect(notLegal.stderr).toContain('its owner changes the plan in the app')
    const taken = await change('billing', legal.id, '--reason', 'written request, letter of 3 Dec', '--json')
    expect(taken.code, taken.stderr).toBe(0)
    const expected = firstOfNextMonth(localDate(svc.clock.now(), 'America/New_York'))
    expect(JSON.parse(taken.stdout)).toMatchObject({ toPlan: 'home-basic@1', effectiveDate: expected })
    const sub = await svc.api<{ pendingChange: { toPlanId: string; effectiveDate: string; status: string } }>(
      'GET',
      `/v1/lines/${moved.lineId}/subscription`,
      undefined,
      legal.token
    )
    expect(sub.body.pendingChange).toMatchObject({
      toPlanId: 'home-basic@1',
      effectiveDate: expected,
      status: 'scheduled'
    })
    // Withdrawing it is a written request too: the app's cancel is refused and the change stays.
    const withdraw = await svc.api('DELETE', `/v1/lines/${moved.lineId}/plan-change`, undefined, legal.token)
    expect(withdraw.status).toBe(403)
    expect((withdraw.body as { error: { reason: string } }).error.reason).toBe('written-request')
    const still = await svc.api<{ pendingChange: { status: string } }>(
      'GET',
      `/v1/lines/${moved.lineId}/subscription`,
      undefined,
      legal.token
    )
    expect(still.body.pendingChange.status).toBe('scheduled')
    const shown = await cli.billing.json<{ account: AccountView }>([
      'accounts',
      'show',
      legal.id,
      '--reason',
      'check the written plan change'
    ])
    expect(shown.account.lines.find((l) => l.id === moved.lineId)?.pendingChange).toEqual({
      toPlan: 'home-basic',
      effectiveDate: expected
    })
    // The company's written request to withdraw it, which the app drafts to support: billing takes it.
    const withdrawBy = (role: Role, account: string, ...extra: string[]) =>
      cli[role].run(['accounts', 'plan-change-withdraw', account, '--line', moved.lineId, ...extra])
    expect((await withdrawBy('support', legal.id, '--reason', 'letter of 5 Dec')).code).toBe(5)
    expect((await withdrawBy('billing', businessId, '--reason', 'letter of 5 Dec')).code).toBe(3)
    const withdrawn = await withdrawBy('billing', legal.id, '--reason', 'written request, letter of 5 Dec')
    expect(withdrawn.code, withdrawn.stderr).toBe(0)
    expect(withdrawn.stdout).toContain(`the change to home-basic@1 on ${expected} is withdrawn`)
    const gone = await svc.api<{ pendingChange: unknown }>(
      'GET',
      `/v1/lines/${moved.lineId}/subscription`,
      undefined,
      legal.token
    )
    expect(gone.body.pendingChange).toBeNull()
    const twice = await withdrawBy('billing', legal.id, '--reason', 'written request, letter of 5 Dec')
    expect([twice.code, twice.stderr.includes('scheduled plan change')]).toEqual([6, true])

    // A double-submitted move: one happens, the other is refused; one open line, one new transfer.
    const transfersBefore = await count('device_transfers')
    const both = await Promise.all(
      [businessId, businessId].map((to) =>
        svc.api(
          'POST',
          `/ops/v1/devices/${person.serial}/move`,
          { toAccountId: to, reason: 'racing moves' },
          tokens.admin
        )
      )
    )
    expect(both.map((r) => r.status).sort()).toEqual([200, 409])
    expect(await count('device_transfers')).toBe(transfersBefore + 1)
    const openLines = await db()
      .selectFrom('lines')
      .innerJoin('devices', 'devices.id', 'lines.device_id')
      .select('lines.id')
      .where('devices.serial', '=', person.serial)
      .where('lines.status', '!=', 'closed')
      .execute()
    expect(openLines).toHaveLength(1)
  }, 90_000)
})
