/**
 * Approving a second-hand transfer, as an attacker would try it, on SQLite and PostgreSQL: approving needs the
 * old owner's session (no session, or the new owner's, approves nothing); a code for another dongle's transfer —
 * even one the same person owns — is refused as the wrong code and stays usable for its own transfer; a wrong
 * code changes nothing; an expired request says so with its day; and both sides list the transfer with its
 * direction and state. The new line never inherits the old owner's 911 address. A dongle asked for more often in a
 * day than its owner is emailed keeps every request: the ones past the emails wait with no code sent, and the
 * owner (only they) has the code emailed from the app, which is how the real buyer's request still goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { ACCEPT, MODEL, latestSecret, mailbox, trialLine, type TrialLine } from '../../support/service-flows'
import { TRANSFER_TTL_MS } from '../../../src/server/devices/transfer'

interface Transfer {
  id: string
  reference: string
  deviceSerial: string
  status: string
  direction: string
  codeSent: boolean
  decidedAt: string | null
}

describe.each(BACKENDS)('second-hand transfers on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  async function ask(seller: TrialLine, buyer: TrialLine): Promise<{ id: string; token: string }> {
    const r = await svc.api<{ id: string }>(
      'POST',
      '/v1/transfers',
      { serial: seller.serial, model: MODEL, areaCode: '415', acceptances: ACCEPT },
      buyer.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(202)
    return { id: r.body.id, token: await latestSecret(svc, seller.email, 'transfer-request') }
  }
  const list = async (who: TrialLine): Promise<Transfer[]> =>
    (await svc.api<{ transfers: Transfer[] }>('GET', '/v1/transfers', undefined, who.token)).body.transfers
  const owner = async (serial: string): Promise<string | null> =>
    (
      await svc.service.ctx.db
        .selectFrom('devices')
        .select('owner_account_id')
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
    ).owner_account_id

  it('approves only with the owner’s session and the code issued for that very transfer', async () => {
    const seller = await trialLine(svc)
    const buyer = await trialLine(svc)
    const a = await ask(seller, buyer)
    // The same seller's second dongle, asked for by someone else: its code must not approve the first.
    const other = await trialLine(svc)
    const secondDongle = await trialLine(svc)
    const b = await ask(secondDongle, other)

    // No session, and the buyer's session: nothing approved.
    expect(
      (await svc.api('POST', '/v1/transfers/approve', { transferId: a.id, token: a.token })).status
    ).toBe(401)
    const asBuyer = await svc.api(
      'POST',
      '/v1/transfers/approve',
      { transferId: a.id, token: a.token },
      buyer.token
    )
    expect(asBuyer.body).toMatchObject({ error: { reason: 'transfer-not-found' } })
    // Someone else's code (for another dongle) on the seller's transfer: the wrong code, beside the field.
    const foreign = await svc.api(
      'POST',
      '/v1/transfers/approve',
      { transferId: a.id, token: b.token },
      seller.token
    )
    expect(foreign.status).toBe(400)
    expect(foreign.body).toMatchObject({
      error: {
        reason: 'transfer-code-wrong',
        params: { serial: seller.serial },
        issues: [{ path: 'token', code: 'transfer-code-wrong' }]
      }
    })
    // A made-up code in the right shape: the same.
    const madeUp = `dtx_${'A'.repeat(43)}`
    expect(
      (await svc.api('POST', '/v1/transfers/approve', { transferId: a.id, token: madeUp }, seller.token)).body
    ).toMatchObject({ error: { reason: 'transfer-code-wrong' } })
    // Nothing changed: both dongles with their owners, both transfers waiting.
    expect(await owner(seller.serial)).toBe(seller.accountId)
    expect(await owner(secondDongle.serial)).toBe(secondDongle.accountId)
    expect((await list(seller)).map((x) => x.status)).toEqual(['pending'])
    expect(await list(secondDongle)).toMatchObject([{ id: b.id, status: 'pending', direction: 'outgoing' }])

    // The other code still approves its own transfer; the seller's own code approves theirs.
    expect(
      (
        await svc.api(
          'POST',
          '/v1/transfers/approve',
          { transferId: b.id, token: b.token },
          secondDongle.token
        )
      ).status
    ).toBe(200)
    const done = await svc.api<{ lineId: string }>(
      'POST',
      '/v1/transfers/approve',
      { transferId: a.id, token: a.token },
      seller.token
    )
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(await owner(seller.serial)).toBe(buyer.accountId)
    // Both sides see it handed over, each from its side.
    expect(await list(seller)).toMatchObject([{ id: a.id, status: 'completed', direction: 'outgoing' }])
    expect((await list(buyer))[0]).toMatchObject({ id: a.id, status: 'completed', direction: 'incoming' })
    expect((await list(buyer))[0]?.decidedAt).not.toBeNull()
    // The buyer's new line asks for its own 911 address: the seller's does not come along.
    const line = await svc.api<{ missing: string[]; e911: unknown }>(
      'GET',
      `/v1/lines/${done.body.lineId}`,
      undefined,
      buyer.token
    )
    expect(line.body).toMatchObject({ e911: null })
    expect(line.body.missing).toContain('e911')
    expect((await mailbox(svc, buyer.email)).some((m) => m.purpose === 'device-transferred')).toBe(true)
  })

  it('says when a request expired, and the new owner can ask again', async () => {
    const seller = await trialLine(svc)
    const buyer = await trialLine(svc)
    const first = await ask(seller, buyer)
    svc.clock.advance(TRANSFER_TTL_MS + 60_000)
    const late = await svc.api(
      'POST',
      '/v1/transfers/approve',
      { transferId: first.id, token: first.token },
      seller.token
    )
    expect(late.status).toBe(410)
    expect(late.body).toMatchObject({
      error: { reason: 'transfer-expired', params: { date: expect.any(String) } }
    })
    expect(await owner(seller.serial)).toBe(seller.accountId)
    expect(await list(buyer)).toMatchObject([{ id: first.id, status: 'expired', direction: 'incoming' }])
    // Asked again: a new code, which works.
    const again = await ask(seller, buyer)
    expect(again.id).not.toBe(first.id)
    expect(
      (
        await svc.api(
          'POST',
          '/v1/transfers/approve',
          { transferId: again.id, token: again.token },
          seller.token
        )
      ).status
    ).toBe(200)
    expect((await list(buyer)).map((x) => x.status)).toEqual(['completed', 'expired'])
  })

  it('keeps a dongle’s requests past its day’s emails, and its owner has their code emailed from the app', async () => {
    const seller = await trialLine(svc)
    const askers = [] as TrialLine[]
    for (let i = 0; i < 6; i++) askers.push(await trialLine(svc))
    const asked = [] as Transfer[]
    for (const asker of askers) {
      const r = await svc.api<Transfer>(
        'POST',
        '/v1/transfers',
        { serial: seller.serial, model: MODEL, areaCode: '415', acceptances: ACCEPT },
        asker.token
      )
      expect(r.status, JSON.stringify(r.body)).toBe(202)
      asked.push(r.body)
    }
    // Five emailed, whoever asked; the sixth (the real buyer, after strangers who read the serial) kept unsent.
    expect(asked.map((x) => x.codeSent)).toEqual([true, true, true, true, true, false])
    const requestMails = async () =>
      (await mailbox(svc, seller.email)).filter((m) => m.purpose === 'transfer-request')
    expect(await requestMails()).toHaveLength(5)
    const buyer = askers[5] as TrialLine
    const last = asked[5] as Transfer
    expect((await list(buyer))[0]).toMatchObject({ id: last.id, status: 'pending', codeSent: false })
    expect((await list(seller)).find((x) => x.id === last.id)).toMatchObject({
      direction: 'outgoing',
      codeSent: false
    })
    const sendCode = (transferId: string, who: TrialLine) =>
      svc.api<Transfer & { error?: { reason: string } }>(
        'POST',
        '/v1/transfers/send-code',
        { transferId },
        who.token
      )
    // Only the owner can have a code sent: the asker (or anyone else) learns nothing and sends nothing.
    expect((await sendCode(last.id, buyer)).body).toMatchObject({ error: { reason: 'transfer-not-found' } })
    expect(await requestMails()).toHaveLength(5)
    const codeFor = async (reference: string): Promise<string> => {
      const mail = (await requestMails()).find((m) => m.body?.includes(`Request ${reference},`))
      const token = /\b(dtx_[A-Za-z0-9_-]{43})\b/.exec(mail?.body ?? '')?.[1]
      if (!token) throw new Error(`no code emailed for ${reference}`)
      return token
    }
    // A new code for an emailed request (a lost email) retires the one sent before.
    const first = asked[0] as Transfer
    const oldCode = await codeFor(first.reference)
    const resent = await sendCode(first.id, seller)
    expect(resent.status, JSON.stringify(resent.body)).toBe(200)
    expect(resent.body).toMatchObject({ id: first.id, codeSent: true, direction: 'outgoing' })
    expect(await requestMails()).toHaveLength(6)
    const approve = (transferId: string, token: string) =>
      svc.api<{ error?: { reason: string } }>(
        'POST',
        '/v1/transfers/approve',
        { transferId, token },
        seller.token
      )
    expect((await approve(first.id, oldCode)).body).toMatchObject({
      error: { reason: 'transfer-code-wrong' }
    })
    // The owner has the buyer's code sent, and approves with it.
    const sent = await sendCode(last.id, seller)
    expect(sent.body).toMatchObject({ id: last.id, codeSent: true, reference: last.reference })
    expect((await list(buyer))[0]).toMatchObject({ id: last.id, codeSent: true })
    const approved = await approve(last.id, await codeFor(last.reference))
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(await owner(seller.serial)).toBe(buyer.accountId)
    // A closed request sends nothing; the owner's own budget ends at ten a day.
    const closed = await sendCode(first.id, seller)
    expect([closed.status, closed.body.error?.reason]).toEqual([410, 'transfer-closed'])
    for (let i = 0; i < 7; i++) await sendCode(first.id, seller)
    const spent = await sendCode(first.id, seller)
    expect([spent.status, spent.body.error?.reason]).toEqual([429, 'rate-limited'])
    expect(await requestMails()).toHaveLength(7)
  })

  it('asked twice at once, or its code sent twice at once, a transfer stays one request with one working code', async () => {
    const seller = await trialLine(svc)
    const buyer = await trialLine(svc)
    // A double click (or five): one request waits, the others are told it already does; one email went.
    const asks = await Promise.all(
      Array.from({ length: 5 }, () =>
        svc.api<Transfer & { error?: { reason: string } }>(
          'POST',
          '/v1/transfers',
          { serial: seller.serial, model: MODEL, areaCode: '415', acceptances: ACCEPT },
          buyer.token
        )
      )
    )
    expect(asks.map((r) => r.status).sort()).toEqual([202, 409, 409, 409, 409])
    const mails = async () =>
      (await mailbox(svc, seller.email)).filter((m) => m.purpose === 'transfer-request')
    expect(await mails()).toHaveLength(1)
    const id = asks.find((r) => r.status === 202)?.body.id ?? ''
    // Eight codes asked at once: each retires the one before it, so one works.
    const sent = await Promise.all(
      Array.from({ length: 8 }, () =>
        svc.api('POST', '/v1/transfers/send-code', { transferId: id }, seller.token)
      )
    )
    expect(sent.map((r) => r.status)).toEqual(Array(8).fill(200))
    const live = await svc.service.ctx.db
      .selectFrom('one_time_tokens')
      .select('id')
      .where('purpose', '=', 'transfer_approve')
      .where('subject', '=', id)
      .where('consumed_at', 'is', null)
      .execute()
    expect(live).toHaveLength(1)
  })
})
