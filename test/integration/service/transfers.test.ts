/**
 * Approving a second-hand transfer, as an attacker would try it, on SQLite and PostgreSQL: approving needs the
 * old owner's session (no session, or the new owner's, approves nothing); a code for another dongle's transfer —
 * even one the same person owns — is refused as the wrong code and stays usable for its own transfer; a wrong
 * code changes nothing; an expired request says so with its day; and both sides list the transfer with its
 * direction and state. The new line never inherits the old owner's 911 address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { ACCEPT, MODEL, latestSecret, mailbox, trialLine, type TrialLine } from '../../support/service-flows'
import { TRANSFER_TTL_MS } from '../../../src/server/devices/transfer'

interface Transfer {
  id: string
  deviceSerial: string
  status: string
  direction: string
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
})
