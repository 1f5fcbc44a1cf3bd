/**
 * The app hears of its lines' changes made on the service while it runs (src/main/account/line-change-watch.ts
 * against the real service, SQLite and PostgreSQL): the brain from createApp, signed in, says
 * account.linesChanged within a second and a half when support suspends and restores its line over the ops API,
 * with no command of its own and long before the phone's 5-minute re-read; signing out ends its poll at once.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../../src/main/account/service-client'
import { call } from '../../../src/main/ipc/dispatcher'
import { fileVault } from '../../../src/main/store/file-vault'
import { firstAdmin, makeOperator } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'
import { testApp } from '../../support/test-app'

describe.each(BACKENDS)('the app hears of line changes (%s)', (backend) => {
  let svc: TestService
  let support: string
  beforeAll(async () => {
    svc = await startTestService(backend)
    support = (await makeOperator(svc, (await firstAdmin(svc)).token, 'support')).token
  }, 60_000)
  afterAll(() => svc.close())

  it('says account.linesChanged when support suspends and restores the line, and stops polling when signed out', async () => {
    const line = await trialLine(svc)
    // Polls in flight, counted at the client's fetch.
    let polling = 0
    const counted: typeof fetch = async (input, init) => {
      const poll = String(input).includes('/v1/lines/changes')
      if (poll) polling++
      try {
        return await fetch(input, init)
      } finally {
        if (poll) polling--
      }
    }
    const t = testApp({
      service: createServiceClient(5000, counted),
      vault: fileVault(mkdtempSync(join(tmpdir(), 'dialtone-line-changes-'))),
      settingsDefaults: { serviceUrl: svc.base }
    })
    const heard: number[] = []
    t.app.events.subscribe((name, payload) => {
      if (name === 'account.linesChanged' && (payload as { after: string }).after === 'service')
        heard.push(Date.now())
    })
    t.app.start()
    try {
      await call(t.app.dispatch, 'account.signIn', { identifier: line.email, password: line.password })
      await expect.poll(() => polling, { timeout: 5000 }).toBe(1)
      // Held, with the version it first heard: nothing said yet.
      await new Promise((r) => setTimeout(r, 300))
      expect(heard).toEqual([])

      for (const action of ['suspend', 'restore']) {
        const before = heard.length
        const t0 = Date.now()
        const r = await svc.api(
          'POST',
          `/ops/v1/lines/${line.lineId}/${action}`,
          { reason: 'chargeback' },
          support
        )
        expect(r.status, JSON.stringify(r.body)).toBe(200)
        await expect.poll(() => heard.length, { timeout: 3000 }).toBe(before + 1)
        expect((heard.at(-1) ?? 0) - t0).toBeLessThan(10_000)
        const lines = await call(t.app.dispatch, 'account.lines', undefined)
        expect(lines.lines[0]?.status).toBe(action === 'suspend' ? 'suspended' : 'in_service')
      }

      await call(t.app.dispatch, 'account.signOut', undefined)
      await expect.poll(() => polling, { timeout: 3000 }).toBe(0)
    } finally {
      await t.app.dispose()
    }
  }, 60_000)
})
