/**
 * Two service processes on one PostgreSQL database (the N-process layout, docs/scaling.md) run every background
 * job at the same moments, as their timers would: each due renewal reminder is written once, each due
 * auto-renewal charges once and extends coverage by exactly one period, whichever process gets there first.
 * The processes are real (test/support/jobs-process.ts, started together, each its own pool and clock).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY } from '../../../src/server/clock'
import { CARDS, charges, renew, subscription } from '../../support/billing-flows'
import { bundleOnce } from '../../support/bundle'
import { type TestService, startTestService } from '../../support/service'
import { mailbox, type TrialLine, trialLine } from '../../support/service-flows'

const PROCESSES = 2
const LINES = 4

interface JobsProcess {
  /** Sets the process's clock and runs `passes` passes of every job; resolves when it is done. */
  run(at: Date, passes: number): Promise<void>
  readonly child: ChildProcessWithoutNullStreams
}

async function startJobsProcess(databaseUrl: string, dataDir: string): Promise<JobsProcess> {
  const child = spawn(
    process.execPath,
    [await bundleOnce('test/support/jobs-process.ts'), databaseUrl, dataDir],
    { stdio: ['pipe', 'pipe', 'pipe'] }
  )
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async (want: string) => {
    const { value, done } = await lines.next()
    if (done || value !== want) throw new Error(`jobs process said ${String(value)}, not ${want}`)
  }
  return next('ready').then(() => ({
    child,
    async run(at, passes) {
      child.stdin.write(`${at.toISOString()} ${passes}\n`)
      await next('done')
    }
  }))
}

describe('background jobs with two service processes on PostgreSQL', () => {
  let svc: TestService
  let procs: JobsProcess[] = []
  const lines: TrialLine[] = []
  beforeAll(async () => {
    svc = await startTestService('postgres')
    for (let i = 0; i < LINES; i++) {
      const line = await trialLine(svc)
      const r = await renew(
        svc,
        line.token,
        line.lineId,
        'line-1m@1',
        { card: CARDS.ok, save: true },
        { autoRenew: true }
      )
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      lines.push(line)
    }
    // Started together, as a stack starts its processes: their startup (migrations, seeds) races too.
    procs = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        startJobsProcess(svc.service.ctx.config.databaseUrl, svc.dataDir)
      )
    )
  }, 120_000)
  afterAll(async () => {
    for (const p of procs) p.child.kill()
    await svc?.close()
  })

  it('sends each renewal reminder once and renews each line once, whichever process is first', async () => {
    const through = await Promise.all(
      lines.map(
        async (l) => new Date((await subscription(svc, l.token, l.lineId)).coverage.paidThrough ?? '')
      )
    )
    const first = Math.min(...through.map((d) => d.getTime()))
    const last = Math.max(...through.map((d) => d.getTime()))
    // Inside every line's reminder window (the monthly plan's last week), then past every line's renewal instant (a
    // day ahead).
    await Promise.all(procs.map((p) => p.run(new Date(last - 5 * DAY), 3)))
    for (const l of lines) {
      const reminders = (await mailbox(svc, l.email)).filter((m) => m.purpose === 'renewal-reminder')
      expect(reminders, l.email).toHaveLength(1)
    }
    expect(last - first).toBeLessThan(DAY / 2)
    await Promise.all(procs.map((p) => p.run(new Date(last - DAY + 60_000), 3)))
    const subs = await svc.service.ctx.db
      .selectFrom('subscriptions')
      .select(['id', 'line_id'])
      .where(
        'line_id',
        'in',
        lines.map((l) => l.lineId)
      )
      .execute()
    expect(subs).toHaveLength(LINES)
    for (const [i, l] of lines.entries()) {
      const sub = subs.find((s) => s.line_id === l.lineId)
      expect(await charges(svc, `autorenew:${sub?.id}:`), l.email).toBe(1)
      const next = new Date(through[i] ?? '')
      next.setUTCMonth(next.getUTCMonth() + 1)
      expect((await subscription(svc, l.token, l.lineId)).coverage.paidThrough).toBe(next.toISOString())
    }
  })
})
