/**
 * How the rating finds a call's end (src/server/billing/usage.ts), on SQLite and on PostgreSQL, from Kamailio's
 * accounting rows as the import writes them: the first BYE of the call's own dialog (its two tags, either way
 * round) after the answer, whatever answer the BYE got; a BYE with the Call-ID alone (another dialog's tags, or
 * before the answer) ends nothing; a call whose BYE never came is rated, after 12 hours, at MAX_CALL_SECONDS, the
 * length at which Kamailio ends a call. Before, a BYE sent ahead of the call rated it as 0 seconds, and a call
 * whose BYE was refused, or never sent, cost nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTERNATIONAL_RATES } from '../../../src/server/billing/rates'
import { MAX_CALL_SECONDS, rateCalls } from '../../../src/server/billing/usage'
import { newId } from '../../../src/server/secrets'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { lineNumber, trialLine } from '../../support/service-flows'

const UK = '011442071234567'
const UK_RATE = INTERNATIONAL_RATES['44'] ?? 0

describe.each(BACKENDS)('the end of a call in the rating on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  interface Row {
    readonly method: 'INVITE' | 'BYE'
    readonly from: string
    readonly to: string
    readonly at: Date
    readonly code?: string
  }

  /** A call's accounting rows (one Call-ID) from `srcUser` to UK; the INVITE's is its answer. */
  async function recorded(srcUser: string, rows: Row[]): Promise<string> {
    const callId = newId('call')
    await svc.service.ctx.db
      .insertInto('call_records')
      .values(
        rows.map((r, i) => ({
          id: newId('cdr'),
          source_key: `test:${callId}:${i}`,
          method: r.method,
          from_tag: r.from,
          to_tag: r.to,
          call_id: callId,
          sip_code: r.code ?? '200',
          sip_reason: r.code === '481' ? 'Call/Transaction Does Not Exist' : 'OK',
          at: r.at.toISOString(),
          src_user: srcUser,
          dst_user: UK,
          missed: 0,
          rated_at: null
        }))
      )
      .execute()
    return callId
  }

  const usage = async (callId: string) =>
    svc.service.ctx.db
      .selectFrom('usage_records')
      .select(['seconds', 'billed_minutes', 'amount_minor', 'zone'])
      .where('call_id', '=', callId)
      .executeTakeFirst()

  it("ends a call at its own dialog's first BYE after the answer, answered or refused", async () => {
    const line = await trialLine(svc)
    const src = (await lineNumber(svc, line.token, line.lineId)).slice(1)
    const answered = new Date(svc.clock.now().getTime() - 3600_000)
    const after = (s: number) => new Date(answered.getTime() + s * 1000)
    const callId = await recorded(src, [
      // A BYE sent before the call with its Call-ID, and one of another dialog during it: neither ends it.
      { method: 'BYE', from: 'attacker', to: 'x', at: after(-30) },
      { method: 'BYE', from: 'caller', to: 'callee', at: after(-5) },
      { method: 'INVITE', from: 'caller', to: 'callee', at: answered },
      { method: 'BYE', from: 'other', to: 'callee', at: after(2) },
      // The far end hangs up, and the line refuses its BYE: the call ended then all the same.
      { method: 'BYE', from: 'callee', to: 'caller', at: after(150), code: '481' }
    ])
    await rateCalls(svc.service.ctx)
    expect(await usage(callId)).toEqual({
      seconds: 150,
      billed_minutes: 3,
      amount_minor: 3 * UK_RATE,
      zone: 'international'
    })
  })

  it('rates a call whose BYE never came, after 12 hours, at the longest a call lasts', async () => {
    const line = await trialLine(svc)
    const src = (await lineNumber(svc, line.token, line.lineId)).slice(1)
    const answered = new Date(svc.clock.now().getTime() - 3600_000)
    const callId = await recorded(src, [{ method: 'INVITE', from: 'caller', to: 'callee', at: answered }])
    await rateCalls(svc.service.ctx)
    expect(await usage(callId)).toBeUndefined()
    svc.clock.advance(12 * 3600_000)
    await rateCalls(svc.service.ctx)
    const minutes = MAX_CALL_SECONDS / 60
    expect(await usage(callId)).toEqual({
      seconds: MAX_CALL_SECONDS,
      billed_minutes: minutes,
      amount_minor: minutes * UK_RATE,
      zone: 'international'
    })
  })
})
