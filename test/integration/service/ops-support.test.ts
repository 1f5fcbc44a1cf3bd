/**
 * Support operators in `dialtone-ops` on SQLite and PostgreSQL (issue 25 part 3), as the real CLI process: a
 * person's request with the diagnostics report attached listed, shown in words (nothing from the person's computer
 * reaches the terminal as an escape sequence), answered (the person is emailed, the request is "answered") and
 * closed, each step audited; every role tried on every support and shop route (refused and audited); the retail
 * partners' shops added with their hours, listed and removed; bad input that changes nothing.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDongle } from '../../../src/main/diagnostics/linux/sysfs'
import { buildReport } from '../../../src/shared/diagnostics/report'
import { diagnose } from '../../../src/shared/diagnostics/rules'
import { emptyObservations, tigerjetTarget } from '../../support/diagnostics'
import { type OpsCli, type Operator, firstAdmin, makeOperator, signedInCli } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, mailbox, trialLine } from '../../support/service-flows'

type ApiError = { error?: { reason: string } }
interface Summary {
  id: string
  reference: string
  status: string
  email: string | null
  hasDiagnostics: boolean
}
interface Shop {
  id: string
  name: string
  timeZone: string
  hours: Record<string, { open: string; close: string } | null>
}

const dongle = readDongle(
  join(import.meta.dirname, '../../fixtures/sysfs/tigerjet-bus-powered-500ma'),
  tigerjetTarget
)
if (!dongle) throw new Error('fixture missing')
const behindHub = {
  ...dongle,
  id: '1-1.2',
  chain: [...dongle.chain, { id: '1-1', root: false, selfPowered: false, version: '2.00', ports: 4 }]
}
const observations = { ...emptyObservations(), dongles: [behindHub] }
const base = buildReport(observations, diagnose(observations), { appVersion: '0.1.0', maskSerials: true })
/** A kernel log line carrying a terminal escape (clear screen): the CLI must print it inert. */
const REPORT = {
  ...base,
  verdicts: base.verdicts.map((v, i) =>
    i === 0 ? { ...v, evidence: [...v.evidence, 'usb 1-1.2: \u001b[2Jgone'] } : v
  )
}

describe.each(BACKENDS)('support operators on %s', (backend) => {
  let svc: TestService
  let admin: OpsCli
  let supportCli: OpsCli
  let support: Operator
  let billing: Operator
  let till: Operator
  let adminToken = ''
  let retailId = ''
  let webshopId = ''
  let ada: TrialLine

  beforeAll(async () => {
    svc = await startTestService(backend)
    const a = await firstAdmin(svc, 'support-admin@ops.dialtone.test', 'Support Admin')
    adminToken = a.token
    admin = await signedInCli(svc, a)
    support = await makeOperator(svc, adminToken, 'support')
    billing = await makeOperator(svc, adminToken, 'billing')
    supportCli = await signedInCli(svc, support)
    const partner = async (name: string, kind: string) =>
      (await svc.api<{ partner: { id: string } }>('POST', '/ops/v1/partners', { name, kind }, adminToken))
        .body.partner.id
    retailId = await partner('Corner Stores', 'retail')
    webshopId = await partner('Web shop', 'webshop')
    till = await makeOperator(svc, adminToken, 'retail-partner', retailId)
    ada = await trialLine(svc)
  }, 120_000)
  afterAll(() => svc.close())

  const audit = (action: string) =>
    svc.service.ctx.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', '=', action)
      .orderBy('at')
      .execute()

  it('lists, shows (report in words), answers and closes a request through the CLI, audited', async () => {
    const made = await svc.api<{ request: { id: string } }>(
      'POST',
      '/v1/support/requests',
      { topic: 'device', text: 'The phone stops ringing.\n<b>bold?</b>', diagnostics: REPORT },
      ada.token
    )
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = made.body.request.id

    const open = await supportCli.json<{ requests: Summary[] }>(['support', 'list', '--status', 'open'])
    expect(open.requests.find((r) => r.id === id)).toMatchObject({ email: ada.email, hasDiagnostics: true })
    const listed = await supportCli.run(['support', 'list'])
    expect(listed.stdout).toContain(id)

    const shown = await supportCli.run(['support', 'show', id])
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain('The phone stops ringing.')
    expect(shown.stdout).toContain('<b>bold?</b>')
    expect(shown.stdout).toContain(`Diagnostics report (dialtone.diagnostics/1`)
    expect(shown.stdout).toContain(REPORT.verdicts[0]?.title ?? 'no verdict')
    expect(shown.stdout).toContain('USB tree')
    expect(shown.stdout).toContain('\\u{1b}[2Jgone')
    expect(shown.stdout).not.toContain('\u001b')
    const json = await supportCli.json<{ diagnostics: { verdicts: unknown[] } }>(['support', 'show', id])
    expect(json.diagnostics.verdicts.length).toBe(REPORT.verdicts.length)

    const reply = await supportCli.run([
      'support',
      'reply',
      id,
      '--text',
      'Plug the dongle into a port on the computer itself, not the keyboard hub.'
    ])
    expect(reply.code, reply.stderr).toBe(0)
    expect(reply.stdout).toContain('answered')
    const mail = (await mailbox(svc, ada.email)).find((m) => m.purpose === 'support-reply')
    expect(mail?.body).toContain('not the keyboard hub')
    const answered = await supportCli.json<{ requests: Summary[] }>([
      'support',
      'list',
      '--status',
      'answered'
    ])
    expect(answered.requests.map((r) => r.id)).toContain(id)

    // Bad input changes nothing.
    const messages = async () =>
      (
        await svc.service.ctx.db
          .selectFrom('support_messages')
          .select('id')
          .where('request_id', '=', id)
          .execute()
      ).length
    const before = await messages()
    const bad: [string[], number, string][] = [
      [['support', 'list', '--status', 'pending'], 2, '--status'],
      [['support', 'reply', id], 2, '--text'],
      [['support', 'reply', id, '--text', 'x'.repeat(4001)], 3, 'text'],
      [['support', 'reply', id, '--text', 'bell \u0007'], 3, 'text'],
      [['support', 'show', 'sup_nosuchrequest000'], 6, 'not found'],
      // Not an id at all: the CLI says so itself (usage, 2) before asking the service.
      [['support', 'reply', 'not-an-id', '--text', 'hello'], 2, '"not-an-id" is not a request id']
    ]
    for (const [args, code, says] of bad) {
      const r = await supportCli.run(args)
      expect([args.join(' ').slice(0, 60), r.code]).toEqual([args.join(' ').slice(0, 60), code])
      expect(r.stderr).toContain(says)
    }
    expect(await messages()).toBe(before)

    const closed = await supportCli.run(['support', 'close', id])
    expect(closed.code, closed.stderr).toBe(0)
    const late = await supportCli.run(['support', 'reply', id, '--text', 'one more thing'])
    expect(late.code).toBe(3)
    const mine = await svc.api<{ requests: { id: string; status: string; messages: { from: string }[] }[] }>(
      'GET',
      '/v1/support/requests',
      undefined,
      ada.token
    )
    expect(mine.body.requests.find((r) => r.id === id)).toMatchObject({
      status: 'closed',
      messages: [{ from: 'person' }, { from: 'support' }]
    })

    expect((await audit('support-reply')).map((e) => [e.target, e.outcome, e.actor_id])).toEqual([
      [id, 'ok', support.id],
      [id, 'failed', support.id]
    ])
    expect((await audit('support-close')).map((e) => [e.target, e.outcome])).toEqual([[id, 'ok']])
    expect((await audit('support-show')).some((e) => e.target === id && e.outcome === 'ok')).toBe(true)
  }, 60_000)

  it('refuses billing and retail tills on every support and shop route, and audits each refusal', async () => {
    const id = 'sup_nosuchrequest000'
    const calls: [string, string, unknown][] = [
      ['GET', '/ops/v1/support/requests', undefined],
      ['GET', `/ops/v1/support/requests/${id}`, undefined],
      ['POST', `/ops/v1/support/requests/${id}/reply`, { text: 'hello' }],
      ['POST', `/ops/v1/support/requests/${id}/close`, undefined],
      ['GET', '/ops/v1/shops', undefined],
      [
        'POST',
        '/ops/v1/shops',
        {
          partnerId: retailId,
          name: 'Sneaky',
          street: '1 Main St',
          city: 'Austin',
          state: 'TX',
          zip: '78701',
          hours: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null }
        }
      ],
      ['POST', '/ops/v1/shops/shp_nosuchshop00000/remove', undefined]
    ]
    for (const who of [billing, till]) {
      for (const [method, path, body] of calls) {
        const r = await svc.api<ApiError>(method, path, body, who.token)
        expect([who.email, path, r.status]).toEqual([who.email, path, 403])
        expect(r.body.error?.reason).toBe('ops-permission')
      }
    }
    // Support and admin may; an unknown request is "not found" for them, not a refusal.
    for (const token of [support.token, adminToken]) {
      expect((await svc.api('GET', '/ops/v1/support/requests', undefined, token)).status).toBe(200)
      expect((await svc.api('GET', `/ops/v1/support/requests/${id}`, undefined, token)).status).toBe(404)
      expect((await svc.api('GET', '/ops/v1/shops', undefined, token)).status).toBe(200)
    }
    const noToken = await svc.api<ApiError>('GET', '/ops/v1/support/requests')
    expect(noToken.status).toBe(401)
    const refused = (
      await svc.service.ctx.db.selectFrom('ops_audit').selectAll().where('outcome', '=', 'refused').execute()
    ).filter((e) => e.action.startsWith('support-') || e.action.startsWith('shops-'))
    expect(refused.filter((e) => e.actor_id === billing.id)).toHaveLength(calls.length)
    expect(refused.filter((e) => e.actor_id === till.id)).toHaveLength(calls.length)
    expect(
      (
        await svc.service.ctx.db
          .selectFrom('retail_shops')
          .select('id')
          .where('name', '=', 'Sneaky')
          .execute()
      ).length
    ).toBe(0)
  }, 60_000)

  it('adds, lists and removes retail shops with their hours; the app’s search follows', async () => {
    const add = (extra: string[]) =>
      supportCli.run([
        'shops',
        'add',
        '--partner',
        retailId,
        '--name',
        'Congress Corner',
        '--street',
        '100 Congress Ave',
        '--city',
        'Austin',
        '--state',
        'TX',
        ...extra
      ])
    const shopCount = async () =>
      (
        await svc.service.ctx.db
          .selectFrom('retail_shops')
          .select('id')
          .where('removed_at', 'is', null)
          .execute()
      ).length
    const count = await shopCount()
    const bad: [string[], number, string][] = [
      [['--zip', '78701', '--hours', 'mon-fri 9-18'], 2, '--hours'],
      [['--zip', '78701', '--hours', 'fri-mon 09:00-18:00'], 2, '--hours'],
      [['--zip', '78701', '--hours', 'mon 18:00-09:00'], 2, 'after the opening'],
      [['--zip', '00000', '--hours', 'mon 09:00-18:00'], 3, 'ZIP'],
      [['--zip', '7870', '--hours', 'mon 09:00-18:00'], 3, 'zip'],
      [['--zip', '78701', '--hours', 'mon 09:00-18:00', '--time-zone', 'Mars/Olympus'], 3, 'time zone'],
      [['--zip', '78701'], 2, '--hours']
    ]
    for (const [args, code, says] of bad) {
      const r = await add(args)
      expect([args.join(' '), r.code]).toEqual([args.join(' '), code])
      expect(r.stderr).toContain(says)
    }
    const web = await supportCli.run([
      'shops',
      'add',
      '--partner',
      webshopId,
      '--name',
      'Online',
      '--street',
      '1 Web Way',
      '--city',
      'Austin',
      '--state',
      'TX',
      '--zip',
      '78701',
      '--hours',
      'mon 09:00-10:00'
    ])
    expect(web.code).toBe(3)
    expect(web.stderr).toContain('retail')
    expect(await shopCount()).toBe(count)

    const made = await supportCli.json<{ shop: Shop }>([
      'shops',
      'add',
      '--partner',
      retailId,
      '--name',
      'Congress Corner',
      '--street',
      '100 Congress Ave',
      '--city',
      'Austin',
      '--state',
      'tx',
      '--zip',
      '78701',
      '--hours',
      'mon-fri 09:00-18:00; sat 10:00-14:00'
    ])
    expect(made.shop).toMatchObject({ name: 'Congress Corner', timeZone: 'America/Chicago' })
    expect(made.shop.hours).toMatchObject({ mon: { open: '09:00', close: '18:00' }, sun: null })
    const listed = await admin.run(['shops', 'list', '--partner', retailId])
    expect(listed.stdout).toContain('Congress Corner')
    expect(listed.stdout).toContain('mon 09:00-18:00')
    const found = await svc.api<{ shops: { id: string }[] }>('GET', '/v1/shops?q=78701')
    expect(found.body.shops.map((s) => s.id)).toContain(made.shop.id)

    const removed = await supportCli.run(['shops', 'remove', made.shop.id])
    expect(removed.code, removed.stderr).toBe(0)
    const gone = await svc.api<{ shops: { id: string }[] }>('GET', '/v1/shops?q=78701')
    expect(gone.body.shops.map((s) => s.id)).not.toContain(made.shop.id)
    expect((await supportCli.run(['shops', 'remove', made.shop.id])).code).toBe(6)
    expect((await audit('shops-add')).filter((e) => e.outcome === 'ok').map((e) => e.target)).toEqual([
      made.shop.id
    ])
    expect(
      (await audit('shops-remove')).filter((e) => e.actor_id === support.id).map((e) => e.outcome)
    ).toEqual(['ok', 'failed'])
  }, 60_000)
})
