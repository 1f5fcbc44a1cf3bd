/**
 * The balance and usage on SQLite and PostgreSQL: top-ups, promised payments (eligibility, repayment, overdue),
 * call rating from Kamailio's accounting rows (minutes packs first, then per-minute rates), the daily and
 * monthly series, itemised call details as JSON, CSV, PDF and email, a call a line forwarded out charged to that
 * line (imported from Kamailio's flatstore file or acc table, with the caller), and blocked numbers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { settlePromisedPayments } from '../../../src/server/billing/balance'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rateCalls } from '../../../src/server/billing/usage'
import { importFlatstore, importPostgresAcc } from '../../../src/server/provisioning/accounting'
import { DAY } from '../../../src/server/clock'
import { CARDS, key, signIn } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { answeredCall, mailbox, trialLine } from '../../support/service-flows'
import { parseCsv } from '../../support/file-text'

interface Balance {
  balance: { amountMinor: number }
  restricted: boolean
  promisedPayment: { status: string } | null
  promisedPaymentOffer: { eligible: boolean; why: string | null; reason: string | null }
  minutePacks: { minutes: number; used: number }[]
  lastTopUp: { amount: { amountMinor: number } } | null
}

describe.each(BACKENDS)('balance and usage on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend, {
      billing: { ...(await import('../../../src/server/config')).DEFAULT_BILLING, maxBlockedNumbers: 3 }
    })
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  const balance = async (token: string) =>
    (await svc.api<Balance>('GET', '/v1/balance', undefined, token)).body
  const topUp = (token: string, amountMinor: number, card = CARDS.ok) =>
    svc.api<Balance & { error?: { reason: string } }>(
      'POST',
      '/v1/balance/top-up',
      { idempotencyKey: key(), amountMinor, payment: { card } },
      token
    )
  const promise = (token: string) =>
    svc.api<Balance & { error?: { reason: string; message: string } }>(
      'POST',
      '/v1/balance/promised-payment',
      { idempotencyKey: key() },
      token
    )

  it('tops up by card, refuses a declined card, and keeps the ledger append-only', async () => {
    const line = await trialLine(svc)
    expect((await topUp(line.token, 2000)).body.balance.amountMinor).toBe(2000)
    const declined = await topUp(line.token, 2000, CARDS.insufficient)
    expect(declined.status).toBe(402)
    expect(declined.body.error?.reason).toBe('insufficient_funds')
    expect((await balance(line.token)).balance.amountMinor).toBe(2000)
    expect((await topUp(line.token, 50)).status).toBe(400)
    const b = await balance(line.token)
    expect(b.lastTopUp?.amount.amountMinor).toBe(2000)
    const pack = await svc.api<Balance>(
      'POST',
      '/v1/balance/minutes',
      { idempotencyKey: key(), planId: 'intl-100@1' },
      line.token
    )
    expect(pack.body).toMatchObject({
      balance: { amountMinor: 1500 },
      minutePacks: [{ minutes: 100, used: 0 }]
    })
    for (let i = 0; i < 3; i++)
      await svc.api(
        'POST',
        '/v1/balance/minutes',
        { idempotencyKey: key(), planId: 'intl-100@1' },
        line.token
      )
    const poor = await svc.api<{ error: { reason: string } }>(
      'POST',
      '/v1/balance/minutes',
      { idempotencyKey: key(), planId: 'intl-100@1' },
      line.token
    )
    expect(poor.status).toBe(402)
    expect(poor.body.error.reason).toBe('balance-too-low')
    expect((await balance(line.token)).balance.amountMinor).toBe(0)
  })

  it('grants a promised payment at a zero balance only, once, repaid by the next top-up', async () => {
    const line = await trialLine(svc)
    const offer = await balance(line.token)
    expect(offer.promisedPaymentOffer.eligible).toBe(true)
    const granted = await promise(line.token)
    expect(granted.status, JSON.stringify(granted.body)).toBe(200)
    expect(granted.body).toMatchObject({
      balance: { amountMinor: 500 },
      promisedPayment: { status: 'active' },
      restricted: false
    })
    const second = await promise(line.token)
    expect(second.status).toBe(409)
    expect((await balance(line.token)).promisedPaymentOffer.why).toBe('already-open')
    const topped = await topUp(line.token, 1000)
    expect(topped.body).toMatchObject({
      balance: { amountMinor: 1000 },
      promisedPayment: { status: 'repaid' }
    })
    const positive = await promise(line.token)
    expect(positive.body.error?.message).toMatch(/at or below zero/)
    expect((await balance(line.token)).promisedPaymentOffer).toMatchObject({
      eligible: false,
      why: 'positive-balance'
    })
  })

  it('takes an unpaid promise back when due, holds the account, and releases it on top-up', async () => {
    const line = await trialLine(svc)
    await promise(line.token)
    // Due when the term's third day ends in the account's zone (UTC here), not 72 hours after.
    svc.clock.advance(3 * DAY + 1000)
    const dayEnd = new Date(svc.clock.now())
    dayEnd.setUTCHours(0, 0, 0, 0)
    dayEnd.setUTCDate(dayEnd.getUTCDate() + 1)
    svc.clock.set(dayEnd)
    expect(await settlePromisedPayments(svc.service.ctx)).toBe(1)
    const held = await balance(line.token)
    expect(held).toMatchObject({
      restricted: true,
      promisedPayment: { status: 'overdue' },
      balance: { amountMinor: 0 }
    })
    expect((await mailbox(svc, line.email)).some((m) => m.purpose === 'promised-overdue')).toBe(true)
    const back = await topUp(line.token, 1000)
    expect(back.body).toMatchObject({
      restricted: false,
      promisedPayment: { status: 'repaid' },
      balance: { amountMinor: 1000 }
    })
  })

  /** An answered call in Kamailio's accounting (service-flows.ts answeredCall). */
  const call = (srcUser: string, dst: string, at: Date, seconds: number) =>
    answeredCall(svc, { srcUser, dst, at, seconds })

  it('rates calls once: domestic free, international from a minutes pack, then per minute', async () => {
    const line = await trialLine(svc)
    const creds = (
      await svc.api<{ username: string }>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)
    ).body
    const pack = await svc.api(
      'POST',
      '/v1/checkout',
      {
        idempotencyKey: key(),
        items: [{ kind: 'minutes', planId: 'intl-100@1' }],
        payment: { card: CARDS.ok }
      },
      line.token
    )
    expect(pack.status).toBe(201)
    await topUp(line.token, 1000)
    const t0 = new Date(svc.clock.now().getTime() - 3600_000)
    await call(creds.username, '12125550123', t0, 600)
    await call(creds.username, '011442071234567', new Date(t0.getTime() + 60_000), 95 * 60 + 5)
    await call(creds.username, '442071234567', new Date(t0.getTime() + 120_000), 7 * 60)
    await call('19999999999', creds.username, new Date(t0.getTime() + 180_000), 60)
    expect(await rateCalls(svc.service.ctx)).toBe(4)
    expect(await rateCalls(svc.service.ctx)).toBe(0)
    const b = await balance(line.token)
    // 96 minutes from the pack, then 4 of the next call from the pack and 3 at 2 cents.
    expect(b.minutePacks).toEqual([{ minutes: 100, used: 100, expiresAt: expect.any(String) }])
    expect(b.balance.amountMinor).toBe(1000 - 3 * 2)
    const details = await svc.api<{
      calls: {
        destination: string
        zone: string
        billedMinutes: number
        packMinutes: number
        amount: { amountMinor: number }
      }[]
    }>(
      'GET',
      `/v1/usage/calls?from=${t0.toISOString().slice(0, 10)}&to=${svc.clock.now().toISOString().slice(0, 10)}`,
      undefined,
      line.token
    )
    expect(
      details.body.calls.map((c) => [
        c.destination,
        c.zone,
        c.billedMinutes,
        c.packMinutes,
        c.amount.amountMinor
      ])
    ).toEqual([
      ['+12125550123', 'domestic', 0, 0, 0],
      ['+442071234567', 'international', 96, 96, 0],
      ['+442071234567', 'international', 7, 4, 6]
    ])
  })

  it('charges a call a line forwarded out to that line, itemised with the caller, once, imported from Kamailio', async () => {
    const a = await trialLine(svc)
    const b = await trialLine(svc)
    const user = async (l: typeof a) =>
      (await svc.api<{ username: string }>('GET', `/v1/lines/${l.lineId}/sip`, undefined, l.token)).body
        .username
    const [aUser, bUser] = [await user(a), await user(b)]
    await topUp(b.token, 1000)
    const t0 = new Date(svc.clock.now().getTime() - 3600_000)
    const secs = (d: Date) => Math.floor(d.getTime() / 1000)
    // Kamailio's accounting as it writes it: A calls B, B forwards out to a NANP number (both legs 10 min); a
    // withheld carrier caller reaches B, forwarded out to London (125 s: 3 started minutes at 2 cents).
    const rows: [string, string, string, Date, string, string, string][] = [
      ['INVITE', 'c1', aUser, t0, bUser, '12128675309', aUser],
      ['BYE', 'c1', aUser, new Date(t0.getTime() + 600_000), bUser, '', ''],
      ['INVITE', 'c2', '13125550177', new Date(t0.getTime() + 700_000), bUser, '442071234567', 'anonymous'],
      ['BYE', 'c2', '13125550177', new Date(t0.getTime() + 825_000), bUser, '', '']
    ]
    const callId = (c: string) => `${c}-${bUser}`
    if (backend === 'postgres') {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- acc exists only on PostgreSQL
      const db = svc.service.ctx.db as any
      for (const [method, c, src, at, dst, fwdTo, fwdFrom] of rows)
        await db
          .insertInto('acc')
          .values({
            method,
            from_tag: 'f',
            to_tag: 't',
            callid: callId(c),
            sip_code: '200',
            sip_reason: 'OK',
            time: at.toISOString().replace('T', ' ').slice(0, 19),
            src_user: src,
            dst_user: dst,
            fwd_by: fwdTo ? bUser : null,
            fwd_to: fwdTo || null,
            fwd_from: fwdFrom || null
          })
          .execute()
      await importPostgresAcc(svc.service.ctx)
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'dialtone-acc-test-'))
      const lines = rows.map(([method, c, src, at, dst, fwdTo, fwdFrom]) =>
        [
          method,
          'f',
          't',
          callId(c),
          '200',
          'OK',
          secs(at),
          src,
          dst,
          fwdTo ? bUser : '',
          fwdTo,
          fwdFrom
        ].join('|')
      )
      writeFileSync(join(dir, 'acc_9.log'), `${lines.join('\n')}\n`)
      await importFlatstore(svc.service.ctx, dir)
    }
    const imported = await svc.service.ctx.db
      .selectFrom('call_records')
      .select(['method', 'fwd_by', 'fwd_to', 'fwd_from'])
      .where('call_id', 'in', [callId('c1'), callId('c2')])
      .orderBy('at')
      .execute()
    expect(imported).toEqual([
      { method: 'INVITE', fwd_by: bUser, fwd_to: '12128675309', fwd_from: aUser },
      { method: 'BYE', fwd_by: null, fwd_to: null, fwd_from: null },
      { method: 'INVITE', fwd_by: bUser, fwd_to: '442071234567', fwd_from: '' },
      { method: 'BYE', fwd_by: null, fwd_to: null, fwd_from: null }
    ])
    expect(await rateCalls(svc.service.ctx)).toBe(2)
    expect(await rateCalls(svc.service.ctx)).toBe(0)
    expect((await balance(b.token)).balance.amountMinor).toBe(1000 - 3 * 2)
    const range = `from=${t0.toISOString().slice(0, 10)}&to=${svc.clock.now().toISOString().slice(0, 10)}`
    type Calls = {
      calls: {
        destination: string
        seconds: number
        amount: { amountMinor: number }
        forwardedFrom?: string
      }[]
    }
    const ofB = (await svc.api<Calls>('GET', `/v1/usage/calls?${range}`, undefined, b.token)).body.calls
    expect(ofB.map((c) => [c.destination, c.seconds, c.amount.amountMinor, c.forwardedFrom])).toEqual([
      ['+12128675309', 600, 0, `+${aUser}`],
      ['+442071234567', 125, 6, '']
    ])
    // The caller's own call to B stays the caller's, not forwarded.
    const ofA = (await svc.api<Calls>('GET', `/v1/usage/calls?${range}`, undefined, a.token)).body.calls
    expect(ofA.map((c) => [c.destination, c.forwardedFrom])).toEqual([[`+${bUser}`, undefined]])
    const csv = await svc.api<{ contentBase64: string }>(
      'GET',
      `/v1/usage/calls/export?${range}&format=csv`,
      undefined,
      b.token
    )
    const text = Buffer.from(csv.body.contentBase64, 'base64').toString('utf8')
    expect(text.startsWith('\uFEFF'), 'the UTF-8 byte-order mark first, for spreadsheets').toBe(true)
    expect(text).toContain(`+12128675309,domestic,600,0,0,0.00,USD,+${aUser}`)
    expect(text).toContain('+442071234567,international,125,3,0,0.06,USD,withheld')
  })

  it('gives daily and monthly series and exports the calls as CSV and PDF, or emails them', async () => {
    // The call is placed two hours back and must fall on today's date (UTC): run in the first hours of a day
    // (CI at 00:10 UTC), it fell on yesterday. Step the test clock past them first.
    if (svc.clock.now().getUTCHours() < 3) svc.clock.advance(3 * 3600_000)
    const line = await trialLine(svc)
    const creds = (
      await svc.api<{ username: string }>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)
    ).body
    const today = svc.clock.now()
    const day = today.toISOString().slice(0, 10)
    await call(creds.username, '5215512345678', new Date(today.getTime() - 7200_000), 125)
    await rateCalls(svc.service.ctx)
    const daily = await svc.api<{ points: { period: string; usageMinor: number; minutes: number }[] }>(
      'GET',
      `/v1/usage/series?granularity=day&from=${day}&to=${day}`,
      undefined,
      line.token
    )
    expect(daily.body.points).toEqual([{ period: day, usageMinor: 15, feesMinor: 0, minutes: 3 }])
    const monthly = await svc.api<{ points: { period: string }[] }>(
      'GET',
      `/v1/usage/series?granularity=month&from=${day}&to=${day}`,
      undefined,
      line.token
    )
    expect(monthly.body.points.map((p) => p.period)).toEqual([day.slice(0, 7)])
    const bad = await svc.api(
      'GET',
      `/v1/usage/series?granularity=day&from=${day}&to=2000-01-01`,
      undefined,
      line.token
    )
    expect(bad.status).toBe(400)

    const csv = await svc.api<{ filename: string; contentBase64: string }>(
      'GET',
      `/v1/usage/calls/export?from=${day}&to=${day}&format=csv`,
      undefined,
      line.token
    )
    const text = Buffer.from(csv.body.contentBase64, 'base64').toString('utf8')
    expect(csv.body.filename).toBe(`dialtone-calls-${day}-to-${day}.csv`)
    expect(parseCsv(text)[0]).toEqual([
      'Started (UTC)',
      'Destination',
      'Zone',
      'Seconds',
      'Billed minutes',
      'Pack minutes',
      'Amount',
      'Currency',
      'Forwarded from'
    ])
    expect(text).toContain('+5215512345678,international,125,3,0,0.15,USD,')
    const pdf = await svc.api<{ contentType: string; contentBase64: string }>(
      'GET',
      `/v1/usage/calls/export?from=${day}&to=${day}&format=pdf`,
      undefined,
      line.token
    )
    expect(pdf.body.contentType).toBe('application/pdf')
    expect(Buffer.from(pdf.body.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    const mailed = await svc.api<{ sentTo: string }>(
      'POST',
      '/v1/usage/calls/email',
      { from: day, to: day, format: 'pdf' },
      line.token
    )
    expect(mailed.status).toBe(202)
    expect(mailed.body.sentTo).toBe(line.email)
    const row = await svc.service.ctx.db
      .selectFrom('outbox')
      .select('attachments')
      .where('purpose', '=', 'call-details')
      .where('recipient', '=', line.email)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(row.attachments ?? '[]')[0]).toMatchObject({ contentType: 'application/pdf' })
    // The whole history in one file is not one request: a year at most, listed, downloaded or emailed.
    for (const [method, path, body] of [
      ['GET', '/v1/usage/calls?from=2000-01-01&to=2026-12-31', undefined],
      ['GET', '/v1/usage/calls/export?from=2025-01-01&to=2026-01-02&format=pdf', undefined],
      ['POST', '/v1/usage/calls/email', { from: '2025-01-01', to: '2026-01-02', format: 'pdf' }]
    ] as const) {
      const long = await svc.api<{ error?: { issues?: { path: string; code: string }[] } }>(
        method,
        path,
        body,
        line.token
      )
      expect([path, long.status]).toEqual([path, 400])
      expect(long.body.error?.issues?.map((i) => [i.path.replace(/^querystring\./, ''), i.code])).toEqual([
        ['to', 'period-too-long']
      ])
    }
    // Emailed files are counted: 20 an hour, the one above included.
    const sent = []
    for (let i = 0; i < 20; i++)
      sent.push(
        (await svc.api('POST', '/v1/usage/calls/email', { from: day, to: day, format: 'csv' }, line.token))
          .status
      )
    expect(sent.slice(0, 19).every((s) => s === 202)).toBe(true)
    expect(sent[19]).toBe(429)
  })

  it('keeps a blocked list with one entry per number, up to the limit', async () => {
    const line = await trialLine(svc)
    const put = (number: string, label?: string) =>
      svc.api<{ numbers: { number: string; label: string | null }[]; error?: { reason: string } }>(
        'PUT',
        '/v1/blocked',
        { number, ...(label ? { label } : {}) },
        line.token
      )
    await put('(212) 555-0101', 'telemarketer')
    const dup = await put('+1 212 555 0101', 'still them')
    expect(dup.body.numbers).toEqual([
      { number: '+12125550101', label: 'still them', createdAt: expect.any(String) }
    ])
    await put('011 44 20 7946 0000')
    await put('2015550188')
    const full = await put('3125550100')
    expect(full.status).toBe(409)
    expect(full.body.error?.reason).toBe('blocked-list-full')
    expect((await svc.api('PUT', '/v1/blocked', { number: 'call me' }, line.token)).status).toBe(400)
    // Each refusal names what is wrong (the app words the code), not "a value in the expected form".
    type Refusal = { error?: { reason: string; issues?: { code: string; params?: unknown }[] } }
    const refused = async (number: string) =>
      (await svc.api<Refusal>('PUT', '/v1/blocked', { number }, line.token)).body.error
    expect((await refused('call me'))?.issues?.[0]).toMatchObject({
      code: 'bad-format',
      params: { format: 'phone' }
    })
    expect((await refused('12'))?.issues?.[0]?.code).toBe('phone-too-short')
    expect(await refused('(1) 2')).toMatchObject({ reason: 'phone-too-short' })
    expect(await refused('1234567890123456')).toMatchObject({ reason: 'phone-too-long' })
    const removed = await svc.api<{ numbers: { number: string }[] }>(
      'POST',
      '/v1/blocked/remove',
      { number: '+442079460000' },
      line.token
    )
    expect(removed.body.numbers.map((n) => n.number).sort()).toEqual(['+12015550188', '+12125550101'])
    expect(
      (await svc.api('POST', '/v1/blocked/remove', { number: '+442079460000' }, line.token)).status
    ).toBe(404)
    expect(await signIn(svc, line)).toBeTruthy()
  })
})
