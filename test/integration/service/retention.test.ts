/**
 * The daily retention job (src/server/retention.ts) on SQLite and PostgreSQL, with the test clock: ended sessions
 * go 90 days after they ended, used or expired codes and tokens after 30, dongle challenges an hour after they
 * expired (in batches: more than one batch's worth), trial requests never activated 30 days after their code
 * expired, voicemail past 30 days in a box nobody used again (before, only a box's own use purged it), and a closed
 * account's messages 30 days after they were queued. What is still in use stays: the live session, an activated
 * trial's request, an open account's messages (trial-notices.ts's "told" marks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY, HOUR } from '../../../src/server/clock'
import { RETENTION_BATCH } from '../../../src/server/retention'
import { CLOSURE_GRACE_DAYS } from '../../../src/shared/api/privacy'
import { onVoicemailChanged } from '../../../src/server/voicemail/changes'
import { boxOfLine, saveMessage } from '../../../src/server/voicemail/store'
import { signIn } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, startTrial, trialLine } from '../../support/service-flows'
import { insertSentMessage } from '../../support/sent-message'

type Table =
  'sessions' | 'one_time_tokens' | 'device_challenges' | 'trial_requests' | 'voicemail_messages' | 'outbox'

describe.each(BACKENDS)('the retention job on %s', (backend) => {
  let svc: TestService
  let person: TrialLine
  beforeAll(async () => {
    svc = await startTestService(backend)
    person = await trialLine(svc)
  }, 60_000)
  afterAll(() => svc.close())

  const db = () => svc.service.ctx.db
  const ids = async (table: Table, where?: { column: 'account_id'; value: string }) => {
    let q = db().selectFrom(table).select(db().fn.countAll<number>().as('n'))
    if (where) q = q.where(where.column, '=', where.value)
    return Number((await q.executeTakeFirstOrThrow()).n)
  }
  const run = async () => {
    await svc.service.runRetention()
    return {
      sessions: await ids('sessions'),
      tokens: await ids('one_time_tokens'),
      challenges: await ids('device_challenges'),
      trials: await ids('trial_requests'),
      voicemail: await ids('voicemail_messages'),
      outbox: await ids('outbox')
    }
  }

  it('deletes each kind of data after its period, in batches, and keeps what is still used', async () => {
    const t0 = svc.clock.now().getTime()
    // A second session, signed out now; the trial's own session stays in use throughout.
    const second = await signIn(svc, person)
    expect((await svc.api('POST', '/v1/auth/sign-out', undefined, second)).status).toBeLessThan(300)
    // A reset token (used or not, it expires) and a phone sign-up code nobody entered.
    expect(
      (await svc.api('POST', '/v1/auth/password/forgot', { identifier: person.email })).status
    ).toBeLessThan(300)
    expect((await svc.api('POST', '/v1/signup/phone', { phone: '+12015550177' })).status).toBeLessThan(300)
    // A trial started and never activated (name, email, address, password hash).
    const abandoned = await startTrial(svc)
    expect(abandoned.r.status).toBe(202)
    // Challenges: more than a batch of old ones, as a database that never swept them holds.
    const old = new Date(t0 - 2 * HOUR).toISOString()
    const rows = Array.from({ length: RETENTION_BATCH * 2 + 7 }, (_, i) => ({
      challenge_hash: `old-challenge-${i}`,
      serial: 'MJ-OLD',
      model: '06e6:c200',
      ip: '203.0.113.9',
      expires_at: old,
      consumed_at: null,
      created_at: old
    }))
    for (let i = 0; i < rows.length; i += 200)
      await db()
        .insertInto('device_challenges')
        .values(rows.slice(i, i + 200))
        .execute()
    // Voicemail in a box nobody opens again: one message now, one two days later.
    const box = await boxOfLine(svc.service.ctx, person.lineId)
    expect(box).not.toBeNull()
    const leave = () =>
      saveMessage(
        svc.service.ctx,
        { lineId: person.lineId, accountId: person.accountId, box: box ?? '' },
        {
          caller: '+12125550123',
          callerName: 'Pat Person',
          reason: 'busy',
          durationMs: 2000,
          audio: Buffer.alloc(64)
        }
      )
    await leave()
    const lamps: string[] = []
    const stop = onVoicemailChanged(svc.service.ctx, (lineId) => void lamps.push(lineId))

    const start = await run()
    // All the old ones, over several batches; the fresh ones of the trials' attestations stay until they expire.
    expect(
      await db().selectFrom('device_challenges').select('serial').where('serial', '=', 'MJ-OLD').execute()
    ).toEqual([])
    expect(start.challenges).toBeLessThan(5)
    expect(start.sessions).toBeGreaterThanOrEqual(2)
    expect(start.voicemail).toBe(1)
    svc.clock.set(new Date(t0 + 2 * DAY))
    await leave()
    // Keep the person's session in use, as the app does.
    const use = async () =>
      expect((await svc.api('GET', '/v1/account', undefined, person.token)).status).toBe(200)
    await use()

    svc.clock.set(new Date(t0 + 29 * DAY))
    await use()
    expect(await run()).toEqual({ ...start, challenges: 0, voicemail: 2 })

    svc.clock.set(new Date(t0 + 31 * DAY))
    await use()
    lamps.length = 0
    const month = await run()
    // Codes used or expired over 30 days ago, the abandoned trial and the month-old message are gone; the
    // activated trial's request, the sessions and the outbox stay.
    expect(month.tokens).toBe(0)
    expect(month.trials).toBe(start.trials - 1)
    expect(
      await db().selectFrom('trial_requests').select('id').where('email', '=', abandoned.req.email).execute()
    ).toEqual([])
    expect(month.voicemail).toBe(1)
    expect(lamps).toEqual([person.lineId])
    expect(month.sessions).toBe(start.sessions)
    expect(month.outbox).toBe(start.outbox)
    expect((await svc.api('POST', '/v1/trials/resend', { trialId: abandoned.r.body.trialId })).status).toBe(
      410
    )

    for (const day of [55, 80, 91]) {
      svc.clock.set(new Date(t0 + day * DAY))
      await use()
    }
    const quarter = await run()
    // The session signed out 91 days ago is gone; the one in use stays.
    expect(quarter.sessions).toBe(start.sessions - 1)
    expect((await svc.api('GET', '/v1/account', undefined, person.token)).status).toBe(200)
    expect(quarter.outbox).toBe(start.outbox)
    stop()
  })

  it('deletes a closed account’s messages 30 days after they were queued, and no open account’s', async () => {
    const closing = await trialLine(svc)
    const open = await trialLine(svc)
    const now = svc.clock.now().toISOString()
    // The "told" mark of an open account's trial notice: trial-notices.ts reads it as long as the line is open.
    await insertSentMessage(db(), {
      to: open.email,
      subject: 'Your trial ends soon',
      purpose: 'trial-ending',
      accountId: open.accountId,
      at: now
    })
    const asked = await svc.api('POST', '/v1/account/closure', { password: closing.password }, closing.token)
    expect(asked.status, JSON.stringify(asked.body)).toBe(202)
    svc.clock.advance(CLOSURE_GRACE_DAYS * DAY + 60_000)
    await svc.service.runJobs()
    await svc.service.outbox.flush()
    const messages = (accountId: string) =>
      db().selectFrom('outbox').select(['purpose', 'recipient']).where('account_id', '=', accountId).execute()
    // The last message, to the erased address, under the account's id.
    expect(await messages(closing.accountId)).toEqual([
      { purpose: 'account-closed', recipient: closing.email }
    ])
    const openBefore = await messages(open.accountId)
    expect(openBefore.length).toBeGreaterThan(0)

    svc.clock.advance(29 * DAY)
    await svc.service.runRetention()
    expect(await messages(closing.accountId)).toHaveLength(1)

    svc.clock.advance(2 * DAY)
    await svc.service.runRetention()
    expect(await messages(closing.accountId)).toEqual([])
    expect(
      await db().selectFrom('outbox').select('id').where('recipient', '=', closing.email).execute()
    ).toEqual([])
    expect(await messages(open.accountId)).toEqual(openBefore)
  })
})
