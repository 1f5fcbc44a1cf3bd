/**
 * Purchased dongles (online order + email, retail), adding a dongle to an existing account, release, the
 * second-hand transfer, and number changes, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import {
  ACCEPT,
  BILLING,
  MODEL,
  US_ADDRESS,
  latestSecret,
  mailbox,
  newSerial,
  trialLine,
  webShopOrder
} from '../../support/service-flows'

describe.each(BACKENDS)('devices on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  const newAccount = (email: string) => ({
    mode: 'new',
    name: 'Alan Turing',
    email,
    password: 'enigma machine 1912',
    billingAddress: BILLING
  })

  const order = (number: string, email: string, months = 12) => webShopOrder(svc, { number, email, months })

  it('activates an online purchase only with the order number and its email', async () => {
    await order('ORD-1001', 'buyer@example.test', 12)
    const serial = newSerial()
    const base = { serial, model: MODEL, areaCode: '312', acceptances: ACCEPT }
    const wrongEmail = await svc.api('POST', '/v1/devices/activate', {
      ...base,
      purchase: { channel: 'online', orderNumber: 'ORD-1001', email: 'thief@example.test' },
      account: newAccount('thief@example.test')
    })
    const noOrder = await svc.api('POST', '/v1/devices/activate', {
      ...base,
      purchase: { channel: 'online', orderNumber: 'ORD-9999', email: 'buyer@example.test' },
      account: newAccount('buyer@example.test')
    })
    expect(wrongEmail.status).toBe(400)
    expect(wrongEmail.body).toEqual(noOrder.body)
    expect(
      await svc.service.ctx.db.selectFrom('accounts').selectAll().where('name', '=', 'Alan Turing').execute()
    ).toHaveLength(0)

    const ok = await svc.api<{ lineId: string; session: { token: string } }>('POST', '/v1/devices/activate', {
      ...base,
      purchase: { channel: 'online', orderNumber: 'ord-1001', email: 'buyer@example.test' },
      account: newAccount('buyer@example.test')
    })
    expect(ok.status).toBe(201)
    const line = await svc.api<{ paidThrough: string; missing: string[] }>(
      'GET',
      `/v1/lines/${ok.body.lineId}`,
      undefined,
      ok.body.session.token
    )
    expect(line.body.missing).toEqual(['e911'])
    const months = (new Date(line.body.paidThrough).getTime() - svc.clock.now().getTime()) / (24 * 3600_000)
    expect(months).toBeGreaterThanOrEqual(365)
    expect(months).toBeLessThanOrEqual(366)
    // The order cannot activate a second dongle.
    const again = await svc.api(
      'POST',
      '/v1/devices/activate',
      {
        ...base,
        serial: newSerial(),
        purchase: { channel: 'online', orderNumber: 'ORD-1001', email: 'buyer@example.test' },
        account: { mode: 'existing' }
      },
      ok.body.session.token
    )
    expect(again.body).toMatchObject({ error: { reason: 'order-claimed' } })
  })

  it('adds a retail dongle to the signed-in account, with its included months once', async () => {
    const first = await trialLine(svc)
    const serial = newSerial()
    const anonymous = await svc.api('POST', '/v1/devices/activate', {
      serial,
      model: MODEL,
      areaCode: '617',
      acceptances: ACCEPT,
      purchase: { channel: 'retail' },
      account: { mode: 'existing' }
    })
    expect(anonymous.body).toMatchObject({ error: { code: 'unauthenticated', reason: 'sign-in-required' } })
    const added = await svc.api<{ accountId: string; lineId: string; session: null }>(
      'POST',
      '/v1/devices/activate',
      {
        serial,
        model: MODEL,
        areaCode: '617',
        acceptances: ACCEPT,
        purchase: { channel: 'retail' },
        account: { mode: 'existing' }
      },
      first.token
    )
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ accountId: first.accountId, session: null })
    const lines = await svc.api<{ lines: { id: string; number: string }[] }>(
      'GET',
      '/v1/lines',
      undefined,
      first.token
    )
    expect(lines.body.lines).toHaveLength(2)
    const mine = await svc.api(
      'POST',
      '/v1/devices/activate',
      {
        serial,
        model: MODEL,
        areaCode: '617',
        acceptances: ACCEPT,
        purchase: { channel: 'retail' },
        account: { mode: 'existing' }
      },
      first.token
    )
    expect(mine.body).toMatchObject({ error: { reason: 'already-yours' } })
  })

  it("activated as bought in a shop, a dongle the web shop sold gets no shop months: its order's are its own", async () => {
    const owner = await trialLine(svc)
    const serial = newSerial()
    await webShopOrder(svc, { number: `ORD-RT-${serial}`, email: 'someone@example.test', serial })
    const added = await svc.api<{ lineId: string }>(
      'POST',
      '/v1/devices/activate',
      {
        serial,
        model: MODEL,
        areaCode: '617',
        acceptances: ACCEPT,
        purchase: { channel: 'retail' },
        account: { mode: 'existing' }
      },
      owner.token
    )
    expect(added.status, JSON.stringify(added.body)).toBe(201)
    const grants = await svc.service.ctx.db
      .selectFrom('coverage_grants')
      .select('source_type')
      .where('line_id', '=', added.body.lineId)
      .execute()
    expect(grants).toEqual([])
    // The binding requests of this file from one address: the next tests start a new hour of them.
    svc.clock.advance(61 * 60_000)
  })

  it('moves a second-hand dongle only when the old owner approves, with a new 911 address forced', async () => {
    const seller = await trialLine(svc)
    const sellerNumber = (
      await svc.api<{ number: string }>('GET', `/v1/lines/${seller.lineId}`, undefined, seller.token)
    ).body.number
    const buyer = await trialLine(svc)
    const request = await svc.api<{ id: string; status: string }>(
      'POST',
      '/v1/transfers',
      { serial: seller.serial, model: MODEL, areaCode: '415', acceptances: ACCEPT },
      buyer.token
    )
    expect(request.status).toBe(202)
    const lookup = await svc.api(
      'POST',
      '/v1/devices/lookup',
      { serial: seller.serial, model: MODEL },
      buyer.token
    )
    expect(lookup.body).toMatchObject({ state: 'transfer-pending', trialAvailable: false, ownedByYou: false })
    const token = await latestSecret(svc, seller.email, 'transfer-request')
    expect(token).toMatch(/^dtx_/)
    const approve = { transferId: request.body.id, token }
    const approved = await svc.api<{ lineId: string }>('POST', '/v1/transfers/approve', approve, seller.token)
    expect(approved.status).toBe(200)
    // The seller's line is closed, its number out of service and its Kamailio row gone.
    const old = await svc.api<{ status: string; number: null }>(
      'GET',
      `/v1/lines/${seller.lineId}`,
      undefined,
      seller.token
    )
    expect(old.body).toMatchObject({ status: 'closed', number: null })
    expect(
      await svc.service.ctx.db
        .selectFrom('subscriber')
        .selectAll()
        .where('username', '=', sellerNumber.slice(1))
        .execute()
    ).toHaveLength(0)
    // The buyer's new line waits for its own 911 address.
    const fresh = await svc.api<{ status: string; missing: string[]; number: string }>(
      'GET',
      `/v1/lines/${approved.body.lineId}`,
      undefined,
      buyer.token
    )
    expect(fresh.body.status).toBe('pending')
    expect(fresh.body.missing).toContain('e911')
    expect(fresh.body.number).toMatch(/^\+1415/)
    expect((await mailbox(svc, seller.email)).some((m) => m.purpose === 'device-left')).toBe(true)
    expect((await svc.api('POST', '/v1/transfers/approve', approve, seller.token)).status).toBe(410)
  })

  it('does not let one person asking for a dongle hold it against another; approving one declines the rest', async () => {
    const seller = await trialLine(svc)
    const squatter = await trialLine(svc)
    const buyer = await trialLine(svc)
    const ask = (who: { token: string }) =>
      svc.api<{ id: string; error?: { reason: string } }>(
        'POST',
        '/v1/transfers',
        { serial: seller.serial, model: MODEL, areaCode: '415', acceptances: ACCEPT },
        who.token
      )
    const first = await ask(squatter)
    expect(first.status).toBe(202)
    // Each request's code, told apart by its message (sent in the same instant, the newest is not the last).
    const codes = async () =>
      (await mailbox(svc, seller.email))
        .filter((m) => m.purpose === 'transfer-request')
        .map((m) => /\b(dtx_[A-Za-z0-9_-]{43})\b/.exec(m.body ?? '')?.[1])
    const [firstToken] = await codes()
    // The real buyer asks while the other request waits (it was refused 'transfer-pending' for 7 days).
    const second = await ask(buyer)
    expect(second.status).toBe(202)
    expect((await ask(buyer)).body).toMatchObject({ error: { reason: 'transfer-pending' } })
    const secondToken = (await codes()).find((c) => c !== firstToken)
    expect([firstToken, secondToken]).toEqual([
      expect.stringMatching(/^dtx_/),
      expect.stringMatching(/^dtx_/)
    ])
    // What tells the owner which is which: each request's reference, which its asker sees too, and the name given.
    type Row = { id: string; reference: string; askedBy: string | null; direction: string }
    const rows = async (who: { token: string }) =>
      (await svc.api<{ transfers: Row[] }>('GET', '/v1/transfers', undefined, who.token)).body.transfers
    const owners = await rows(seller)
    const theirs = (await rows(buyer)).find((x) => x.id === second.body.id)
    const ownersView = owners.find((x) => x.id === second.body.id)
    expect(theirs?.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/)
    expect(ownersView).toMatchObject({ reference: theirs?.reference, direction: 'outgoing' })
    expect(theirs?.askedBy).toBeNull()
    expect(owners.find((x) => x.id === first.body.id)?.reference).not.toBe(theirs?.reference)
    const asker = await svc.service.ctx.db
      .selectFrom('accounts')
      .select('name')
      .where('id', '=', buyer.accountId)
      .executeTakeFirstOrThrow()
    expect(ownersView?.askedBy).toBe(asker.name)
    const mails = (await mailbox(svc, seller.email)).filter((m) => m.purpose === 'transfer-request')
    expect(mails.filter((m) => m.body?.includes(`Request ${theirs?.reference ?? '?'},`))).toHaveLength(1)
    const approved = await svc.api(
      'POST',
      '/v1/transfers/approve',
      { transferId: second.body.id, token: secondToken },
      seller.token
    )
    expect(approved.status).toBe(200)
    const listed = await svc.api<{ transfers: { id: string; status: string }[] }>(
      'GET',
      '/v1/transfers',
      undefined,
      squatter.token
    )
    expect(listed.body.transfers.find((t) => t.id === first.body.id)?.status).toBe('declined')
    const late = await svc.api(
      'POST',
      '/v1/transfers/approve',
      { transferId: first.body.id, token: firstToken },
      seller.token
    )
    expect(late.body).toMatchObject({ error: { reason: 'transfer-closed' } })
  })

  it('releases a dongle with the owner’s password; then it can be activated by someone else', async () => {
    const owner = await trialLine(svc)
    const wrong = await svc.api(
      'POST',
      `/v1/devices/${owner.deviceId}/release`,
      { password: 'not mine at all' },
      owner.token
    )
    expect(wrong.body).toMatchObject({ error: { reason: 'wrong-password' } })
    expect(
      (
        await svc.api(
          'POST',
          `/v1/devices/${owner.deviceId}/release`,
          { password: owner.password },
          owner.token
        )
      ).status
    ).toBe(200)
    const next = await svc.api<{ lineId: string; session: { token: string } }>(
      'POST',
      '/v1/devices/activate',
      {
        serial: owner.serial,
        model: MODEL,
        areaCode: '713',
        acceptances: ACCEPT,
        purchase: { channel: 'retail' },
        account: newAccount('second-owner@example.test')
      }
    )
    expect(next.status).toBe(201)
    // A trial dongle had no included retail service to hand on twice; the new line needs coverage (renewal).
    const line = await svc.api<{ missing: string[] }>(
      'GET',
      `/v1/lines/${next.body.lineId}`,
      undefined,
      next.body.session.token
    )
    expect(line.body.missing).toEqual(['e911'])
  })

  it('changes a number with history; the old number stops signing in at once', async () => {
    const line = await trialLine(svc)
    const before = (
      await svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, line.token)
    ).body.number
    const free = await svc.api<{ numbers: string[] }>(
      'GET',
      '/v1/numbers/available?areaCode=212',
      undefined,
      line.token
    )
    const want = free.body.numbers[0] as string
    svc.clock.advance(1000)
    const changed = await svc.api<{ number: string; status: string }>(
      'POST',
      `/v1/lines/${line.lineId}/number`,
      { number: want },
      line.token
    )
    expect(changed.body).toMatchObject({ number: want, status: 'in_service' })
    expect(
      (await svc.api('POST', '/v1/auth/sign-in', { identifier: before, password: line.password })).status
    ).toBe(401)
    expect(
      (await svc.api('POST', '/v1/auth/sign-in', { identifier: want, password: line.password })).status
    ).toBe(200)
    const history = await svc.api<{ history: { number: string; releasedAt: string | null }[] }>(
      'GET',
      `/v1/lines/${line.lineId}/number-history`,
      undefined,
      line.token
    )
    expect(history.body.history.map((h) => [h.number, h.releasedAt === null])).toEqual([
      [want, true],
      [before, false]
    ])
    const rows = await svc.service.ctx.db.selectFrom('subscriber').select('username').execute()
    expect(rows.map((r) => r.username)).toContain(want.slice(1))
    expect(rows.map((r) => r.username)).not.toContain(before.slice(1))
    // The released number rests in quarantine: nobody else gets it.
    const again = await svc.api('POST', `/v1/lines/${line.lineId}/number`, { number: before }, line.token)
    expect(again.body).toMatchObject({ error: { reason: 'number-unavailable' } })
    // A Canadian number drops the US 911 address: the line waits for a Canadian one.
    const ca = await svc.api<{ status: string; missing: string[] }>(
      'POST',
      `/v1/lines/${line.lineId}/number`,
      { areaCode: '604' },
      line.token
    )
    expect(ca.body).toMatchObject({ status: 'pending', missing: ['e911'] })
    expect(
      (await svc.api('PUT', `/v1/lines/${line.lineId}/e911`, { address: US_ADDRESS }, line.token)).status
    ).toBe(400)
  })

  it('changes a line’s number three times in 30 days at most; a change that fails costs no attempt', async () => {
    // Each change takes a free number and quarantines the old one for 90 days: a loop would empty an area code.
    const line = await trialLine(svc)
    const change = (want: { areaCode?: string; number?: string }) =>
      svc.api<{ number?: string; error?: { reason: string; params?: { retryAfterS?: number } } }>(
        'POST',
        `/v1/lines/${line.lineId}/number`,
        want,
        line.token
      )
    const first = (
      await svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, line.token)
    ).body.number
    const numbers: string[] = []
    for (let i = 0; i < 3; i++) {
      const r = await change({ areaCode: '212' })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      numbers.push(r.body.number ?? '')
      // The number given up rests in quarantine: asking for it fails, and that failure is not counted.
      if (i < 2) expect((await change({ number: first })).body.error?.reason).toBe('number-unavailable')
    }
    const fourth = await change({ areaCode: '212' })
    expect([fourth.status, fourth.body.error?.reason]).toEqual([429, 'rate-limited'])
    expect(fourth.body.error?.params?.retryAfterS).toBeGreaterThan(0)
    const now = (await svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, line.token))
      .body
    expect(now.number).toBe(numbers[2])
  })

  it('never shows another account’s line', async () => {
    const a = await trialLine(svc)
    const b = await trialLine(svc)
    const r = await svc.api('GET', `/v1/lines/${a.lineId}/sip`, undefined, b.token)
    expect(r.status).toBe(404)
  })
})
