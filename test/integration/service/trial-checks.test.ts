/**
 * What Start Trial checks before and after the email, on SQLite and on PostgreSQL: whether an area code has free
 * numbers (and the nearest that do, same country only), a trial refused for a full area code before anything is
 * written or sent, a locked code replaced by "Send a new code", and the terms of service and the 911 disclosure
 * served in full by version and language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { latestSecret, mailbox, startTrial, tableCounts } from '../../support/service-flows'

interface Availability {
  areaCode: string
  region: string | null
  available: boolean
  nearby: { areaCode: string; region: string | null }[]
}

describe.each(BACKENDS)('trial checks on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  const ask = (areaCode: string) => svc.api<Availability>('GET', `/v1/numbers/area-codes/${areaCode}`)
  /** Every number of an area code taken (as by other lines), or given back. */
  const fill = (areaCode: string, status: 'assigned' | 'available') =>
    svc.service.ctx.db.updateTable('number_pool').set({ status }).where('area_code', '=', areaCode).execute()

  it('says an area code has free numbers, without offering others', async () => {
    const r = await ask('201')
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ areaCode: '201', region: 'NJ', available: true, nearby: [] })
  })

  it('offers the nearest area codes with free numbers when one is full, in the same country only', async () => {
    await fill('201', 'assigned')
    try {
      const us = await ask('201')
      expect(us.body.available).toBe(false)
      // New Jersey's neighbour first, then further away; never a Canadian code for a US one.
      expect(us.body.nearby[0]).toEqual({ areaCode: '212', region: 'NY' })
      expect(us.body.nearby.map((n) => n.areaCode)).toEqual(['212', '617', '312', '713'])
      // A code the pool never had (Newark's overlay) is full too, with New Jersey's region known.
      expect((await ask('973')).body).toMatchObject({ region: 'NJ', available: false })
      expect((await ask('973')).body.nearby[0]?.areaCode).toBe('212')
    } finally {
      await fill('201', 'available')
    }
    await fill('416', 'assigned')
    try {
      expect((await ask('416')).body.nearby).toEqual([{ areaCode: '604', region: 'BC' }])
    } finally {
      await fill('416', 'available')
    }
  })

  it('refuses what is not an area code numbers come from', async () => {
    expect((await ask('555')).body).toMatchObject({ error: { code: 'invalid-input', reason: 'area-code' } })
    expect((await ask('800')).status).toBe(400)
    expect((await ask('123')).status).toBe(400)
    expect((await ask('20a')).status).toBe(400)
  })

  it('refuses a trial in a full area code before writing or emailing anything', async () => {
    await fill('312', 'assigned')
    try {
      const before = await tableCounts(svc)
      const { r, req } = await startTrial(svc, { areaCode: '312' })
      expect(r.status).toBe(409)
      expect(r.body).toMatchObject({
        error: { code: 'conflict', reason: 'area-exhausted', issues: [{ path: 'areaCode' }] }
      })
      expect(await tableCounts(svc)).toEqual(before)
      expect(await mailbox(svc, req.email)).toEqual([])
    } finally {
      await fill('312', 'available')
    }
  })

  it('replaces a code locked by wrong tries with a new one that works, once', async () => {
    const { r, req } = await startTrial(svc)
    const trialId = r.body.trialId
    const first = await latestSecret(svc, req.email, 'trial-code')
    const wrong = first === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) await svc.api('POST', '/v1/trials/activate', { trialId, code: wrong })
    const locked = await svc.api('POST', '/v1/trials/activate', { trialId, code: first })
    expect(locked.body).toMatchObject({ error: { code: 'gone', reason: 'code-attempts' } })

    svc.clock.advance(1000) // the mailbox shows the newest first; the test clock stands still otherwise
    const resent = await svc.api<{ trialId: string; codeExpiresAt: string }>('POST', '/v1/trials/resend', {
      trialId
    })
    expect(resent.status).toBe(202)
    expect(resent.body.trialId).toBe(trialId)
    expect((await mailbox(svc, req.email)).filter((m) => m.purpose === 'trial-code')).toHaveLength(2)
    const second = await latestSecret(svc, req.email, 'trial-code')
    // The old code is gone with the lock (unless the two happen to be equal, one in a million).
    if (second !== first) {
      const old = await svc.api('POST', '/v1/trials/activate', { trialId, code: first })
      expect(old.body).toMatchObject({ error: { reason: 'code-wrong' } })
    }
    const ok = await svc.api('POST', '/v1/trials/activate', { trialId, code: second })
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
    const after = await svc.api('POST', '/v1/trials/resend', { trialId })
    expect(after.body).toMatchObject({ error: { code: 'gone', reason: 'code-used' } })
    const unknown = await svc.api('POST', '/v1/trials/resend', { trialId: 'tri_doesnotexist' })
    expect(unknown.body).toMatchObject({ error: { code: 'gone', reason: 'trial-unknown' } })
  })

  it('serves the terms of service in full, by version and language, English when there is no translation', async () => {
    const legal = await svc.api<{ termsVersion: string }>('GET', '/v1/legal')
    const fr = await svc.api<{ version: string; language: string; fallback: boolean; text: string }>(
      'GET',
      '/v1/legal/terms?language=fr'
    )
    expect(fr.status).toBe(200)
    expect(fr.body).toMatchObject({ version: legal.body.termsVersion, language: 'fr', fallback: false })
    expect(fr.body.text).toMatch(/^# Conditions d'utilisation/)
    const hr = await svc.api<{ language: string; fallback: boolean; text: string }>(
      'GET',
      `/v1/legal/terms?language=hr&version=${legal.body.termsVersion}`
    )
    expect(hr.body).toMatchObject({ language: 'en', fallback: true })
    expect(hr.body.text).toMatch(/^# Dialtone Terms of Service/)
    expect((await svc.api('GET', '/v1/legal/terms?language=en')).body).toMatchObject({ fallback: false })
    expect((await svc.api('GET', '/v1/legal/terms?language=en&version=1999-01')).status).toBe(404)
    expect((await svc.api('GET', '/v1/legal/terms?language=xx')).status).toBe(400)
  })

  it('serves the 911 disclosure in full, by version and language, the version an acceptance records', async () => {
    const legal = await svc.api<{ e911DisclosureVersion: string; e911Disclosure: string }>('GET', '/v1/legal')
    // Still there, in English, for installed apps from before (their contract requires it).
    expect(legal.body.e911Disclosure).toMatch(
      /^911 calls over this line may not work, .* warning label on it\.$/
    )
    const sl = await svc.api<{ version: string; language: string; fallback: boolean; text: string }>(
      'GET',
      `/v1/legal/e911?language=sl&version=${legal.body.e911DisclosureVersion}`
    )
    expect(sl.status).toBe(200)
    expect(sl.body).toMatchObject({
      version: legal.body.e911DisclosureVersion,
      language: 'sl',
      fallback: false
    })
    expect(sl.body.text).toMatch(/^Klici na 911/)
    expect((await svc.api('GET', '/v1/legal/e911?language=en')).body).toMatchObject({
      version: legal.body.e911DisclosureVersion,
      fallback: false
    })
    const old = await svc.api('GET', '/v1/legal/e911?language=en&version=1999-01')
    expect(old.status).toBe(404)
    expect(old.body).toMatchObject({ error: { reason: 'e911-not-found' } })
  })
})
