/**
 * Help when stuck, the person's side, on SQLite and PostgreSQL (issue 25 part 3): the support contact anyone may
 * read; a request with the technician's diagnostics report attached (kept as the report's own fields only, and
 * bounded); support's reply (status answered, an email with it, its wrapper in the account's language and the
 * operator's text as typed); the person's answer and close; another
 * account's ids refused like unknown ones; hostile and huge bodies refused with nothing stored; creation rate
 * limited; and the Re-Up shop search by ZIP and by city, nearest first, with "open now" in the shop's zone.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDongle } from '../../../src/main/diagnostics/linux/sysfs'
import { buildReport } from '../../../src/shared/diagnostics/report'
import { diagnose } from '../../../src/shared/diagnostics/rules'
import { parseHours } from '../../../src/shared/help/hours'
import { createPartner } from '../../../src/server/ops/partners'
import { supportReference } from '../../../src/shared/api/support'
import { opsClose, opsReply } from '../../../src/server/support/requests'
import { addShop } from '../../../src/server/support/shops'
import { emptyObservations, tigerjetTarget } from '../../support/diagnostics'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, mailbox, trialLine } from '../../support/service-flows'

type ApiError = { error?: { code: string; reason: string; issues?: { path: string; code: string }[] } }
interface RequestOut {
  id: string
  status: string
  topic: string
  hasDiagnostics: boolean
  messages: { from: string; text: string }[]
}
interface ShopsOut {
  outcome: string
  place: { city: string; state: string; zip: string | null } | null
  states: string[]
  shops: { name: string; city: string; distanceMiles: number; openNow: boolean }[]
}

const dongle = readDongle(
  join(import.meta.dirname, '../../fixtures/sysfs/tigerjet-bus-powered-500ma'),
  tigerjetTarget
)
if (!dongle) throw new Error('fixture missing')
const observations = { ...emptyObservations(), dongles: [dongle] }
const REPORT = buildReport(observations, diagnose(observations), { appVersion: '0.1.0', maskSerials: true })
const strip = (s: string | null | undefined) => (s ?? '').replace(/[\u2066-\u2069]/g, '')
const HOSTILE =
  '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \' ; DROP TABLE support_requests;'

describe.each(BACKENDS)('help when stuck on %s', (backend) => {
  let svc: TestService
  let ada: TrialLine
  let bob: TrialLine

  beforeAll(async () => {
    svc = await startTestService(backend, {}, { DIALTONE_SUPPORT_PHONE: '+18005550123' })
    ada = await trialLine(svc)
    bob = await trialLine(svc)
  }, 120_000)
  afterAll(() => svc.close())

  const freshBudgets = () => svc.service.ctx.db.deleteFrom('rate_limits').execute()
  const create = (token: string, body: unknown) =>
    svc.api<ApiError & { request: RequestOut }>('POST', '/v1/support/requests', body, token)
  const counts = async () => ({
    requests: (await svc.service.ctx.db.selectFrom('support_requests').select('id').execute()).length,
    messages: (await svc.service.ctx.db.selectFrom('support_messages').select('id').execute()).length
  })

  it('tells anyone, signed in or not, how to reach support', async () => {
    const r = await svc.api<{ email: string; phone: string }>('GET', '/v1/support/contact')
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ email: 'support@dialtone.test', phone: '+18005550123' })
  })

  it('takes a request with the diagnostics report, keeps only the report’s own fields, and lists it', async () => {
    await freshBudgets()
    const withExtra = {
      ...REPORT,
      password: 'hunter2',
      observations: { ...REPORT.observations, token: 'dtk_x' }
    }
    const r = await create(ada.token, {
      topic: 'device',
      text: `My phone drops out.\n${HOSTILE}`,
      diagnostics: withExtra
    })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(r.body.request).toMatchObject({ topic: 'device', status: 'open', hasDiagnostics: true })
    // Markup is data: stored and answered exactly as typed, for the app and the CLI to show as text.
    expect(r.body.request.messages).toEqual([
      expect.objectContaining({ from: 'person', text: `My phone drops out.\n${HOSTILE}` })
    ])
    const row = await svc.service.ctx.db
      .selectFrom('support_requests')
      .select('diagnostics')
      .where('id', '=', r.body.request.id)
      .executeTakeFirstOrThrow()
    const stored = JSON.parse(row.diagnostics ?? 'null') as Record<string, unknown>
    expect(stored.schema).toBe('dialtone.diagnostics/1')
    expect(row.diagnostics).not.toContain('hunter2')
    expect(row.diagnostics).not.toContain('dtk_x')
    const list = await svc.api<{ requests: RequestOut[] }>(
      'GET',
      '/v1/support/requests',
      undefined,
      ada.token
    )
    expect(list.body.requests.map((q) => q.id)).toContain(r.body.request.id)
    const other = await svc.api<{ requests: RequestOut[] }>(
      'GET',
      '/v1/support/requests',
      undefined,
      bob.token
    )
    expect(other.body.requests).toEqual([])
    expect(svc.logged.join('\n')).not.toContain('onerror')
  })

  it('refuses bad, hostile and huge bodies with a specific reason, storing nothing', async () => {
    await freshBudgets()
    const before = await counts()
    const cases: [unknown, number, string][] = [
      [{ topic: 'device', text: 'x'.repeat(4001) }, 400, 'too-long'],
      [{ topic: 'device', text: '   ' }, 400, 'required'],
      [{ topic: 'refund-me', text: 'hello' }, 400, 'not-allowed-value'],
      [{ topic: 'device', text: 'bell\u0007 and escape \u001b[31m' }, 400, 'control-characters'],
      [{ topic: 'device', text: 'reversed \u202egnp.exe' }, 400, 'format-characters'],
      [{ topic: 'device', text: 'hi', isAdmin: true }, 400, 'unknown-field'],
      [{ topic: 'device', text: 'hi', diagnostics: { schema: 'something-else' } }, 400, ''],
      [
        {
          topic: 'device',
          text: 'hi',
          diagnostics: {
            ...REPORT,
            events: Array.from({ length: 600 }, () => ({
              time: 't',
              kind: 'error',
              deviceId: 'x'.repeat(60),
              detail: 'y'.repeat(20)
            }))
          }
        },
        400,
        'too-big'
      ]
    ]
    for (const [body, status, code] of cases) {
      const r = await create(ada.token, body)
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(status)
      expect(r.body.error?.code).toBe('invalid-input')
      if (code) expect(r.body.error?.issues?.map((i) => i.code)).toContain(code)
    }
    // Over the route's body limit: refused before parsing.
    const huge = await svc.bare<ApiError>(
      'POST',
      '/v1/support/requests',
      JSON.stringify({ topic: 'device', text: 'hi', diagnostics: { pad: 'z'.repeat(200_000) } }),
      ada.token
    )
    expect(huge.status).toBe(413)
    const anon = await svc.api<ApiError>('POST', '/v1/support/requests', { topic: 'device', text: 'hello' })
    expect(anon.status).toBe(401)
    expect(await counts()).toEqual(before)
  })

  it('wraps support’s reply in the account’s words, in its language, and sends the reply exactly as typed', async () => {
    await freshBudgets()
    const sara = await trialLine(svc, { language: 'fa' })
    const made = await create(sara.token, { topic: 'device', text: 'صدا قطع می‌شود' })
    const id = made.body.request.id
    const ref = supportReference(id)
    // The operator's words are theirs (English here, a line of Persian): never translated, wrapped or isolated.
    const typed = 'Try the port on the back of the computer.\nسلام سارا'
    await opsReply(svc.service.ctx, id, 'opr_test', typed)
    const replies = async () => (await mailbox(svc, sara.email)).filter((m) => m.purpose === 'support-reply')
    const fa = (await replies())[0]
    expect(strip(fa?.subject)).toBe(`پشتیبانی Dialtone به درخواست ${ref} شما پاسخ داد`)
    expect(fa?.body).toContain(`\n\n${typed}\n\n`)
    expect(strip(fa?.body)).toBe(
      `پشتیبانی Dialtone به درخواست ${ref} شما پاسخ داد:\n\n${typed}\n\n` +
        'برای پاسخ دادن یا بستن درخواست، Dialtone را باز کنید و به راهنما بروید. لطفاً به این ایمیل پاسخ ندهید.' +
        '\n\n— Dialtone'
    )
    // The person chooses French in Profile: the next reply's wrapper follows.
    expect((await svc.api('PUT', '/v1/account/language', { language: 'fr' }, sara.token)).status).toBe(200)
    await opsReply(svc.service.ctx, id, 'opr_test', typed)
    const fr = (await replies())[1]
    expect(strip(fr?.subject)).toBe(`L’assistance Dialtone a répondu à votre demande ${ref}`)
    expect(strip(fr?.body)).toBe(
      `L’assistance Dialtone a répondu à votre demande ${ref} :\n\n${typed}\n\n` +
        'Pour répondre ou clore la demande, ouvrez Dialtone et allez dans Aide. Merci de ne pas répondre à cet e-mail.' +
        '\n\n— Dialtone'
    )
  })

  it('shows support’s reply and emails it; the person answers, closes; another account’s ids are refused', async () => {
    await freshBudgets()
    const made = await create(ada.token, { topic: 'renewal', text: 'Where can I buy a Re-Up card?' })
    const id = made.body.request.id
    await opsReply(svc.service.ctx, id, 'opr_test', 'Any shop in the list under Help sells them.')
    const mail = (await mailbox(svc, ada.email)).find((m) => m.purpose === 'support-reply')
    expect(mail?.body).toContain('Any shop in the list under Help sells them.')
    const list = await svc.api<{ requests: RequestOut[] }>(
      'GET',
      '/v1/support/requests',
      undefined,
      ada.token
    )
    const mine = list.body.requests.find((q) => q.id === id)
    expect(mine?.status).toBe('answered')
    expect(mine?.messages.map((m) => m.from)).toEqual(['person', 'support'])

    // Bob tries Ada's request: refused exactly like an unknown id, nothing changes.
    const before = await counts()
    for (const [path, body] of [
      [`/v1/support/requests/${id}/messages`, { text: 'mine now' }],
      [`/v1/support/requests/${id}/close`, undefined],
      ['/v1/support/requests/sup_nosuchrequest000/close', undefined]
    ] as const) {
      const r = await svc.api<ApiError>('POST', path, body, bob.token)
      expect(r.status, path).toBe(404)
      expect(r.body.error?.reason).toBe('support-request-not-found')
    }
    expect(await counts()).toEqual(before)
    const stillAnswered = await svc.api<{ requests: RequestOut[] }>(
      'GET',
      '/v1/support/requests',
      undefined,
      ada.token
    )
    expect(stillAnswered.body.requests.find((q) => q.id === id)?.status).toBe('answered')

    const answer = await svc.api<{ request: RequestOut }>(
      'POST',
      `/v1/support/requests/${id}/messages`,
      { text: 'Thanks! And in Austin?' },
      ada.token
    )
    expect(answer.status).toBe(200)
    expect(answer.body.request.status).toBe('open')
    const closed = await svc.api<{ request: RequestOut }>(
      'POST',
      `/v1/support/requests/${id}/close`,
      undefined,
      ada.token
    )
    expect(closed.body.request.status).toBe('closed')
    const late = await svc.api<ApiError>(
      'POST',
      `/v1/support/requests/${id}/messages`,
      { text: 'again' },
      ada.token
    )
    expect(late.status).toBe(409)
    expect(late.body.error?.reason).toBe('support-request-closed')
    await expect(opsReply(svc.service.ctx, id, 'opr_test', 'late')).rejects.toThrow()
    await opsClose(svc.service.ctx, id)
  })

  it('keeps every message of a double submit, in order, when they arrive at once', async () => {
    await freshBudgets()
    const made = await create(ada.token, { topic: 'line', text: 'No dial tone.' })
    const id = made.body.request.id
    const sent = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        svc.api<{ request: RequestOut }>(
          'POST',
          `/v1/support/requests/${id}/messages`,
          { text: `again ${i}` },
          ada.token
        )
      )
    )
    expect(sent.map((r) => r.status)).toEqual(Array(8).fill(200))
    const positions = await svc.service.ctx.db
      .selectFrom('support_messages')
      .select('position')
      .where('request_id', '=', id)
      .orderBy('position')
      .execute()
    expect(positions.map((p) => p.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('limits how many requests one account opens an hour', async () => {
    await freshBudgets()
    const codes: number[] = []
    for (let i = 0; i < 6; i++)
      codes.push((await create(bob.token, { topic: 'other', text: `try ${i}` })).status)
    expect(codes).toEqual([201, 201, 201, 201, 201, 429])
    const last = await create(bob.token, { topic: 'other', text: 'one more' })
    expect(last.body.error?.reason).toBe('rate-limited')
  })

  it('finds the shops that sell Re-Up cards by ZIP and by city, nearest first, open or closed now', async () => {
    const ctx = svc.service.ctx
    const partner = await createPartner(ctx, { name: 'Corner Stores', kind: 'retail' })
    const hours = parseHours('mon-fri 09:00-18:00; sat 10:00-14:00')
    const shop = (name: string, street: string, city: string, zip: string) =>
      addShop(ctx, { partnerId: partner.id, name, street, city, state: 'TX', zip, hours }, 'opr_test')
    await shop('Downtown', '100 Congress Ave', 'Austin', '78701')
    await shop('Round Rock', '1 Main St', 'Round Rock', '78664')
    await shop('Houston', '1 Main St', 'Houston', '77002')
    // A Wednesday, 15:00 in Austin (UTC-6 in winter): open.
    svc.clock.set('2026-12-02T21:00:00.000Z')
    const byZip = await svc.api<ShopsOut>('GET', '/v1/shops?q=78704')
    expect(byZip.status).toBe(200)
    expect(byZip.body.outcome).toBe('found')
    expect(byZip.body.shops.map((s) => s.name)).toEqual(['Downtown', 'Round Rock', 'Houston'])
    expect(byZip.body.shops[0]?.distanceMiles).toBeLessThan(5)
    expect(byZip.body.shops.every((s) => s.openNow)).toBe(true)
    // Sunday: closed everywhere.
    svc.clock.set('2026-12-06T18:00:00.000Z')
    const byCity = await svc.api<ShopsOut>('GET', `/v1/shops?q=${encodeURIComponent('Houston, TX')}`)
    expect(byCity.body.place).toMatchObject({ city: 'Houston', state: 'TX', zip: null })
    expect(byCity.body.shops.map((s) => s.name)).toEqual(['Houston', 'Downtown', 'Round Rock'])
    expect(byCity.body.shops.some((s) => s.openNow)).toBe(false)
    const unknown = await svc.api<ShopsOut>('GET', '/v1/shops?q=00000')
    expect(unknown.body).toMatchObject({ outcome: 'unknown', shops: [] })
    const nowhere = await svc.api<ShopsOut>('GET', '/v1/shops?q=Atlantisville')
    expect(nowhere.body.outcome).toBe('unknown')
    const several = await svc.api<ShopsOut>('GET', '/v1/shops?q=Springfield')
    expect(several.body.outcome).toBe('ambiguous')
    expect(several.body.states).toEqual(expect.arrayContaining(['IL', 'MA', 'MO']))
    const bad = await svc.api<ApiError>('GET', `/v1/shops?q=${encodeURIComponent('a\u0000b')}`)
    expect(bad.status).toBe(400)
    const tooLong = await svc.api<ApiError>('GET', `/v1/shops?q=${'x'.repeat(61)}`)
    expect(tooLong.status).toBe(400)
  })

  it('a city searched by name is all of its ZIPs: a shop in it reads 0 mi, one outside reads how far outside', async () => {
    const ctx = svc.service.ctx
    const partner = await createPartner(ctx, { name: 'Big Apple Cards', kind: 'retail' })
    const hours = parseHours('mon-sun 08:00-20:00')
    // The dev seed's shop (350 5th Ave, ZIP 10001) and one across the East River in Brooklyn (ZIP 11201).
    await addShop(
      ctx,
      {
        partnerId: partner.id,
        name: 'Midtown',
        street: '350 5th Ave',
        city: 'New York',
        state: 'NY',
        zip: '10001',
        hours
      },
      'opr_test'
    )
    await addShop(
      ctx,
      {
        partnerId: partner.id,
        name: 'Brooklyn Heights',
        street: '1 Court St',
        city: 'Brooklyn',
        state: 'NY',
        zip: '11201',
        hours
      },
      'opr_test'
    )
    for (const q of ['New York', 'New York, NY', 'new york ny']) {
      const r = await svc.api<ShopsOut>('GET', `/v1/shops?q=${encodeURIComponent(q)}`)
      expect(r.body.place, q).toMatchObject({ city: 'New York', state: 'NY', zip: null })
      expect(
        r.body.shops.slice(0, 2).map((s) => [s.name, s.distanceMiles]),
        q
      ).toEqual([
        ['Midtown', 0],
        ['Brooklyn Heights', expect.any(Number)]
      ])
      // Brooklyn Heights is about a mile from lower Manhattan: outside New York, and close to it.
      expect(r.body.shops[1]?.distanceMiles, q).toBeGreaterThan(0)
      expect(r.body.shops[1]?.distanceMiles, q).toBeLessThan(3)
    }
    // From Brooklyn, the Midtown shop is a few miles off (Brooklyn's nearest ZIP), not 0 and not 50.
    const fromBrooklyn = await svc.api<ShopsOut>('GET', `/v1/shops?q=${encodeURIComponent('Brooklyn, NY')}`)
    expect(fromBrooklyn.body.shops.slice(0, 2).map((s) => s.name)).toEqual(['Brooklyn Heights', 'Midtown'])
    expect(fromBrooklyn.body.shops[1]?.distanceMiles).toBeGreaterThan(0)
    expect(fromBrooklyn.body.shops[1]?.distanceMiles).toBeLessThan(8)
  })
})
