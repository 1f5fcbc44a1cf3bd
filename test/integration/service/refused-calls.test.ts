/**
 * Calls refused before they rang (issue 22) as the service reports them to the app (GET /v1/calls/refused), on
 * both backends: from Kamailio's accounting rows for the account's own lines only, one per call (Kamailio writes a
 * refused INVITE twice), worded by code (603 blocked, 404/480 offline, 488 failed), a call that rang left to the
 * app's own history, nothing older than 30 days, and the caller's number as E.164 or null when withheld.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

const DAY = 24 * 3600_000

describe.each(BACKENDS)('calls refused before they rang, on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  }, 60_000)
  afterAll(() => svc?.close())

  const username = async (line: TrialLine) =>
    (await svc.api<{ username: string }>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)).body
      .username
  let n = 0
  const record = (callId: string, code: string, src: string, dst: string, ago = 0, missed = 0) =>
    svc.service.ctx.db
      .insertInto('call_records')
      .values({
        id: `cdr_test_${++n}`,
        source_key: `test:${n}`,
        method: 'INVITE',
        from_tag: 'f',
        to_tag: '',
        call_id: callId,
        sip_code: code,
        sip_reason: 'x',
        at: new Date(svc.clock.now().getTime() - ago).toISOString(),
        src_user: src,
        dst_user: dst,
        missed
      })
      .execute()

  it('lists the account’s refused calls in words, once each, newest first', async () => {
    const line = await trialLine(svc)
    const mine = await username(line)
    const other = await username(await trialLine(svc))
    await record('c-blocked', '603', '+12125550142', mine, 3000)
    await record('c-blocked', '603', '+12125550142', mine, 3000, 1)
    await record('c-offline', '480', '12015550199', mine, 2000)
    await record('c-media', '488', 'anonymous', mine, 1000)
    await record('c-rang', '487', '12015550198', mine, 500)
    await record('c-answered', '200', '12015550197', mine, 400)
    await record('c-old', '603', '+12125550142', mine, 31 * DAY)
    await record('c-theirs', '603', '+12125550142', other, 100)
    const r = await svc.api<{ calls: unknown[] }>('GET', '/v1/calls/refused', undefined, line.token)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.calls).toMatchObject([
      { why: 'failed', from: null, line: `+${mine}` },
      { why: 'offline', from: '+12015550199', line: `+${mine}` },
      { why: 'blocked', from: '+12125550142', line: `+${mine}` }
    ])
    expect(r.body.calls).toHaveLength(3)
  })

  it('needs a signed-in person', async () => {
    const r = await svc.api('GET', '/v1/calls/refused')
    expect(r.status).toBe(401)
  })
})
