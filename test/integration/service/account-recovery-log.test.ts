/**
 * An account's recovery (src/server/ops/accounts/security.ts) whose SIP server does not drop the old registrations
 * says so in the log by the line's id, not by its SIP username (security review 34, L2): the username is the
 * line's phone number without its `+`, and numbers stay out of logs (docs/service.md). The recovery itself has
 * committed and answers as usual. The recovery as support runs it is account-recovery.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recoverAccount } from '../../../src/server/ops/accounts/security'
import { type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

describe('an account recovered while the SIP server is away', () => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService('sqlite')
  }, 60_000)
  afterAll(() => svc.close())

  it('logs the line whose registrations stay by its id, never its number', async () => {
    const owner = await trialLine(svc)
    const ctx = svc.service.ctx
    const { username } = await ctx.db
      .selectFrom('sip_accounts')
      .select('username')
      .where('line_id', '=', owner.lineId)
      .executeTakeFirstOrThrow()
    const { phone_number: number } = await ctx.db
      .selectFrom('lines')
      .select('phone_number')
      .where('id', '=', owner.lineId)
      .executeTakeFirstOrThrow()
    const digits = (number ?? '').replace(/^\+/, '')
    expect(digits).toMatch(/^\d{10,15}$/)
    const asked: string[] = []
    const away = {
      removeRegistrations: (u: string) => {
        asked.push(u)
        return Promise.reject(new Error('Kamailio did not answer'))
      }
    }
    const from = svc.logged.length
    const out = await recoverAccount({ ...ctx, kamailio: away }, owner.accountId, owner.email, {
      replaceOriginal: false
    })
    expect(out.linesRekeyed).toBe(1)
    // Kamailio was asked by the username (it knows the line by nothing else) ...
    expect(asked).toEqual([username])
    // ... but the log has no number in it, and names the line by its id.
    const said = svc.logged.slice(from)
    expect(said.filter((l) => l.includes(username) || l.includes(digits))).toEqual([])
    expect(said).toContainEqual(
      `recovery of ${owner.accountId}: the registrations of line ${owner.lineId} were not dropped (Error: Kamailio did not answer)`
    )
  }, 60_000)
})
