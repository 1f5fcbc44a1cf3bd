/**
 * A card top-up killed in the middle, on SQLite and PostgreSQL: the real service as its own process kills itself
 * (SIGKILL, from inside) right after the top-up was recorded and before the processor was called, and right after
 * the card was charged and before the balance was credited (migration 0037, src/server/billing/top-ups.ts).
 * Restarted on the same database, the app's retry with the same key finishes it: one charge, the balance credited
 * once, the top-up paid, the same answer to a replay. (top-up-crash.test.ts injects failures in one process; this
 * is the process dying, with nothing of its memory left.)
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/server/db/database'
import { CARDS } from '../../support/billing-flows'
import { freePort } from '../../support/postgres'
import { BACKENDS } from '../../support/service'
import { crashSite, startProcess, trialLineOn } from '../../support/service-process'

const FAULTS = ['top-up:before-charge', 'top-up:after-charge'] as const

describe.each(BACKENDS)('a top-up killed in the middle on %s', (backend) => {
  it.each(FAULTS)(
    'at %s is finished by the retry after a restart: one charge, credited once',
    async (fault) => {
      const { dataDir, databaseUrl, env } = await crashSite(backend, 'crash-topup')
      const port = await freePort()
      const first = await startProcess({ ...env, DIALTONE_FAULT: fault }, port)
      const line = await trialLineOn(first, databaseUrl, dataDir)
      const request = { idempotencyKey: randomUUID(), amountMinor: 2500, payment: { card: CARDS.ok } }
      await expect(first.svc.api('POST', '/v1/balance/top-up', request, line.token)).rejects.toThrow()
      expect(await first.exited).toBe('SIGKILL')

      // What the kill left: the top-up recorded and pending; the charge only when the kill came after it.
      const left = openDatabase(databaseUrl)
      try {
        const topUps = await left.db.selectFrom('top_ups').select(['status', 'amount_minor']).execute()
        expect(topUps).toEqual([{ status: 'pending', amount_minor: 2500 }])
        const charges = await left.db.selectFrom('sandbox_charges').select('status').execute()
        expect(charges.map((c) => c.status)).toEqual(fault === 'top-up:after-charge' ? ['succeeded'] : [])
        const entries = await left.db
          .selectFrom('balance_entries')
          .select('kind')
          .where('kind', '=', 'top_up')
          .execute()
        expect(entries).toEqual([])
      } finally {
        await left.close()
      }

      const second = await startProcess(env, port)
      try {
        await new Promise((r) => setTimeout(r, 1100)) // the dead request's lease on its key runs out
        const retry = await second.svc.api<{ balance: { amountMinor: number } }>(
          'POST',
          '/v1/balance/top-up',
          request,
          line.token
        )
        expect(retry.status, JSON.stringify(retry.body)).toBe(200)
        expect(retry.body.balance.amountMinor).toBe(2500)
        const replay = await second.svc.api('POST', '/v1/balance/top-up', request, line.token)
        expect(replay.body).toEqual(retry.body)

        const { db, close } = openDatabase(databaseUrl)
        try {
          const charges = await db.selectFrom('sandbox_charges').selectAll().execute()
          expect(charges.map((c) => [c.status, c.amount_minor])).toEqual([['succeeded', 2500]])
          const topUps = await db.selectFrom('top_ups').selectAll().execute()
          expect(topUps.map((t) => [t.status, t.charge_id])).toEqual([['paid', charges[0]?.id]])
          const entries = await db
            .selectFrom('balance_entries')
            .select(['amount_minor', 'source_ref'])
            .where('kind', '=', 'top_up')
            .execute()
          expect(entries).toEqual([{ amount_minor: 2500, source_ref: charges[0]?.id }])
        } finally {
          await close()
        }
      } finally {
        second.proc.kill('SIGTERM')
        await second.exited
      }
    },
    90_000
  )
})
