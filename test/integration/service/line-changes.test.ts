/**
 * The line-changes long poll (GET /v1/lines/changes, shared/api/line-changes.ts) against the real service, on
 * SQLite and PostgreSQL: the first poll answers at once with the lines' version; a poll with that version is held
 * until support suspends the line (over the ops API) and then answers with another version (bounded at 10 s here,
 * well under the 25 s hold, for a loaded CI machine; it takes milliseconds: held-polls.bench.ts); a stale version
 * answers at once; another account's change does not end the hold; a session holds two polls at most, a third is
 * refused with 503; a held poll does not count as work for the admission control; closing the service ends held
 * polls at once; and on PostgreSQL a change made by one
 * process ends a poll held by another process on the same database (LISTEN/NOTIFY). Behind HAProxy as the stack
 * runs it (scripts/lib/haproxy.ts), held polls do not take the places other requests need either.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAPROXY_BIN, haproxyArgs, haproxyConfig } from '../../../scripts/lib/haproxy'
import { LINE_CHANGES_HOLD_S } from '../../../src/shared/api/line-changes'
import { sweepLines } from '../../../src/server/provisioning/line-sweep'
import { startService } from '../../../src/server/service'
import { renew, saveCard } from '../../support/billing-flows'
import { firstAdmin, makeOperator } from '../../support/ops'
import { freePort } from '../../support/free-port'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

type Poll = { status: number; body: { version?: string }; ms: number }

const poll = async (base: string, token: string, since?: string): Promise<Poll> => {
  const t0 = Date.now()
  const res = await fetch(`${base}/v1/lines/changes${since ? `?since=${since}` : ''}`, {
    headers: { authorization: `Bearer ${token}` }
  })
  return { status: res.status, body: (await res.json()) as Poll['body'], ms: Date.now() - t0 }
}

/** `n` sessions of the account (the line's own and n - 1 more sign-ins), as several computers would hold. */
const sessions = async (
  svc: TestService,
  line: { token: string; email: string; password: string },
  n: number
) => {
  const tokens = [line.token]
  while (tokens.length < n) {
    const r = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: line.email,
      password: line.password
    })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    tokens.push(r.body.token)
  }
  return tokens
}

/** Whether `p` is still pending after `ms`. */
const pendingAfter = async (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))])

describe.each(BACKENDS)('line changes (%s)', (backend) => {
  let svc: TestService
  let support: string
  beforeAll(async () => {
    svc = await startTestService(backend, { maxInFlight: 2 })
    support = (await makeOperator(svc, (await firstAdmin(svc)).token, 'support')).token
  }, 60_000)
  afterAll(() => svc.close())

  const suspend = async (lineId: string) => {
    const r = await svc.api('POST', `/ops/v1/lines/${lineId}/suspend`, { reason: 'chargeback' }, support)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
  }
  const restore = async (lineId: string) => {
    const r = await svc.api('POST', `/ops/v1/lines/${lineId}/restore`, { reason: 'withdrawn' }, support)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
  }

  it('holds a poll until support suspends the line, then answers another version at once', async () => {
    const line = await trialLine(svc)
    const first = await poll(svc.base, line.token)
    expect(first.status).toBe(200)
    expect(first.body.version).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(first.ms).toBeLessThan(2000)

    const held = poll(svc.base, line.token, first.body.version)
    expect(await pendingAfter(held, 500)).toBe(true)
    const t0 = Date.now()
    await suspend(line.lineId)
    const answered = await held
    expect(answered.status).toBe(200)
    expect(answered.body.version).not.toBe(first.body.version)
    expect(Date.now() - t0).toBeLessThan(10_000)

    // A version the app no longer has (the line was restored since): answered at once.
    await restore(line.lineId)
    const stale = await poll(svc.base, line.token, answered.body.version)
    expect(stale.ms).toBeLessThan(2000)
    expect(stale.body.version).not.toBe(answered.body.version)
  })

  it('does not end a poll for another account’s change, and answers only with a session', async () => {
    const mine = await trialLine(svc)
    const theirs = await trialLine(svc)
    const { body } = await poll(svc.base, mine.token)
    const held = poll(svc.base, mine.token, body.version)
    await suspend(theirs.lineId)
    expect(await pendingAfter(held, 800)).toBe(true)
    await suspend(mine.lineId)
    expect((await held).body.version).not.toBe(body.version)

    const anonymous = await fetch(`${svc.base}/v1/lines/changes`)
    expect(anonymous.status).toBe(401)
    const bad = await poll(svc.base, mine.token, 'not a version!')
    expect(bad.status).toBe(400)
  })

  it('does not count held polls as work: other requests are admitted past maxInFlight of them', async () => {
    const line = await trialLine(svc)
    const { body } = await poll(svc.base, line.token)
    // Four apps (two polls a session is the most held: below).
    const held = (await sessions(svc, line, 4)).map((t) => poll(svc.base, t, body.version))
    expect(await pendingAfter(Promise.race(held), 300)).toBe(true)
    // maxInFlight is 2 here: without leaving the admission, these would wait behind the four polls.
    const lines = await svc.api('GET', '/v1/lines', undefined, line.token)
    expect(lines.status).toBe(200)
    await suspend(line.lineId)
    for (const p of await Promise.all(held)) expect(p.body.version).not.toBe(body.version)
  })

  it('holds at most two polls a session, and refuses a third with 503 and Retry-After, changing nothing', async () => {
    const line = await trialLine(svc)
    const { body } = await poll(svc.base, line.token)
    const held = [poll(svc.base, line.token, body.version), poll(svc.base, line.token, body.version)]
    expect(await pendingAfter(Promise.race(held), 300)).toBe(true)
    const third = await fetch(`${svc.base}/v1/lines/changes?since=${body.version}`, {
      headers: { authorization: `Bearer ${line.token}` }
    })
    expect(third.status).toBe(503)
    expect(third.headers.get('retry-after')).toBe('5')
    expect(((await third.json()) as { error: { reason: string } }).error.reason).toBe('overloaded')
    // Another session of the same account still has its own.
    const [, other] = await sessions(svc, line, 2)
    const theirs = poll(svc.base, other ?? '', body.version)
    expect(await pendingAfter(theirs, 300)).toBe(true)
    await suspend(line.lineId)
    for (const p of [...(await Promise.all(held)), await theirs])
      expect(p.body.version).not.toBe(body.version)
  })

  it('is not woken by the 30-second sweep when it changes no line, and is by one it changes', async () => {
    const line = await trialLine(svc)
    const hub = svc.service.ctx.lineChanges
    const changed = hub.changed.bind(hub)
    let told = 0
    hub.changed = async (db, accountId) => {
      told++
      return changed(db, accountId)
    }
    try {
      expect(await sweepLines(svc.service.ctx)).toBe(0)
      expect(told).toBe(0)
      // Past the trial's end, the sweep lapses the line: that one is said.
      svc.clock.advance(40 * 86_400_000)
      expect(await sweepLines(svc.service.ctx)).toBeGreaterThan(0)
      expect(told).toBeGreaterThan(0)
      const lapsed = await svc.service.ctx.db
        .selectFrom('lines')
        .select('status')
        .where('id', '=', line.lineId)
        .executeTakeFirstOrThrow()
      expect(lapsed.status).toBe('lapsed')
    } finally {
      hub.changed = changed
      svc.clock.advance(-40 * 86_400_000)
    }
  })

  it('moves the version when the subscription changes behind the app (a job cancels auto-renew)', async () => {
    const line = await trialLine(svc)
    const pm = await saveCard(svc, line.token)
    const paid = await renew(
      svc,
      line.token,
      line.lineId,
      'line-1y@1',
      { paymentMethodId: pm },
      { autoRenew: true }
    )
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    const { body } = await poll(svc.base, line.token)
    // What the dunning job or an operator does: the row changes, no route of the person's is called.
    await svc.service.ctx.db
      .updateTable('subscriptions')
      .set({ auto_renew: 0 })
      .where('line_id', '=', line.lineId)
      .execute()
    const after = await poll(svc.base, line.token, body.version)
    expect(after.ms).toBeLessThan(5000)
    expect(after.body.version).not.toBe(body.version)
  })

  it('answers held polls at once when the service closes', async () => {
    const other = await startTestService(backend)
    const line = await trialLine(other)
    const { body } = await poll(other.base, line.token)
    const held = poll(other.base, line.token, body.version)
    expect(await pendingAfter(held, 300)).toBe(true)
    const t0 = Date.now()
    await other.close()
    expect((await held).status).toBe(200)
    expect(Date.now() - t0).toBeLessThan(LINE_CHANGES_HOLD_S * 1000 - 10_000)
  }, 60_000)
})

describe('line changes across processes (postgres)', () => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService('postgres')
  }, 60_000)
  afterAll(() => svc.close())

  it('ends a poll held by one process when another process changes the line (LISTEN/NOTIFY)', async () => {
    const support = (await makeOperator(svc, (await firstAdmin(svc)).token, 'support')).token
    const second = await startService(svc.service.ctx.config, { clock: svc.clock })
    await second.app.listen({ host: '127.0.0.1', port: 0 })
    const address = second.app.server.address()
    const secondBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    try {
      const line = await trialLine(svc)
      const { body } = await poll(secondBase, line.token)
      const held = poll(secondBase, line.token, body.version)
      expect(await pendingAfter(held, 500)).toBe(true)
      const t0 = Date.now()
      // Suspended through the first process; the poll is held by the second.
      const r = await svc.api(
        'POST',
        `/ops/v1/lines/${line.lineId}/suspend`,
        { reason: 'chargeback' },
        support
      )
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      expect((await held).body.version).not.toBe(body.version)
      expect(Date.now() - t0).toBeLessThan(10_000)
    } finally {
      await second.close()
    }
  }, 60_000)
})

describe('line changes behind HAProxy', () => {
  let svc: TestService
  let haproxy: ChildProcess
  let front = ''
  beforeAll(async () => {
    svc = await startTestService('sqlite')
    const port = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-haproxy-'))
    const cfg = join(dir, 'haproxy.cfg')
    // Two places per process, as few as the load benchmark gives (the stack gives its admission bound's worth).
    writeFileSync(
      cfg,
      haproxyConfig({
        bind: { host: '127.0.0.1', port },
        backends: [{ name: 's1', host: '127.0.0.1', port: Number(new URL(svc.base).port) }],
        maxConnPerServer: 2,
        shedQueue: 4,
        queueTimeoutMs: 1000
      })
    )
    haproxy = spawn(HAPROXY_BIN, haproxyArgs(cfg), { stdio: ['ignore', 'ignore', 'inherit'] })
    front = `http://127.0.0.1:${port}`
    for (let tries = 0; ; tries++) {
      const ok = await fetch(`${front}/v1/health`).then(
        (r) => r.status === 200,
        () => false
      )
      if (ok) break
      if (tries > 100) throw new Error('HAProxy did not come up in front of the service')
      await new Promise((r) => setTimeout(r, 100))
    }
  }, 60_000)
  afterAll(async () => {
    haproxy?.kill('SIGTERM')
    await svc.close()
  })

  it('routes held polls past the per-process places, so other requests are not queued behind them', async () => {
    const support = (await makeOperator(svc, (await firstAdmin(svc)).token, 'support')).token
    const line = await trialLine(svc)
    const { body } = await poll(front, line.token)
    const held = (await sessions(svc, line, 4)).map((t) => poll(front, t, body.version))
    expect(await pendingAfter(Promise.race(held), 500)).toBe(true)
    const t0 = Date.now()
    const lines = await fetch(`${front}/v1/lines`, { headers: { authorization: `Bearer ${line.token}` } })
    expect(lines.status).toBe(200)
    expect(Date.now() - t0).toBeLessThan(1000)
    const r = await svc.api('POST', `/ops/v1/lines/${line.lineId}/suspend`, { reason: 'chargeback' }, support)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    for (const p of await Promise.all(held)) expect(p.body.version).not.toBe(body.version)
  }, 30_000)
})
