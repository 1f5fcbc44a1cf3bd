/**
 * A crash in the middle of a renewal, on SQLite and PostgreSQL: the real service runs as its own process and is
 * killed (SIGKILL, from inside) at each boundary between what it commits and what the processor does: right
 * after the card was charged and before the line was extended (a card given now: the general path), and right
 * after the order was committed and before the processor was called (a saved card: the common renewal, whose
 * order holds its idempotency key: migration 0031). Restarted on the same database, the app's retry with the same
 * idempotency key finishes the order: one charge, one extension, one paid order, one receipt, a consistent line.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/server/db/database'
import { CARDS, saveCard } from '../../support/billing-flows'
import { freePort } from '../../support/postgres'
import { BACKENDS } from '../../support/service'
import { crashSite, startProcess, trialLineOn } from '../../support/service-process'

const CRASHES = [
  { fault: 'checkout:after-charge', saved: false },
  { fault: 'checkout:before-charge', saved: true }
] as const

describe.each(BACKENDS)('a crash in the middle of a renewal on %s', (backend) => {
  it.each(CRASHES)(
    'at $fault is finished by the retry after a restart: one charge, one extension',
    async ({ fault, saved }) => {
      const { dataDir, databaseUrl, env } = await crashSite(backend, 'crash')
      const port = await freePort()

      const first = await startProcess({ ...env, DIALTONE_FAULT: fault }, port)
      const line = await trialLineOn(first, databaseUrl, dataDir)
      const request = {
        idempotencyKey: randomUUID(),
        items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1y@1' }],
        payment: saved
          ? { paymentMethodId: await saveCard(first.svc, line.token) }
          : { card: CARDS.ok, save: true }
      }
      await expect(first.svc.api('POST', '/v1/checkout', request, line.token)).rejects.toThrow()
      expect(await first.exited).toBe('SIGKILL')
      // What the crash left: the order committed (with its key) before the processor was called; the charge made
      // only when the crash came after it. The common renewal's key is held by its order, leased to the request.
      const left = openDatabase(databaseUrl)
      try {
        const orders = await left.db.selectFrom('checkout_orders').selectAll().execute()
        expect(orders.map((o) => o.status)).toEqual(['pending_payment'])
        const keys = await left.db
          .selectFrom('idempotency_keys')
          .select('status')
          .where('endpoint', '=', 'checkout')
          .execute()
        if (saved) {
          expect(keys).toEqual([])
          expect(orders[0]?.request_hash).toMatch(/^[0-9a-f]{64}$/)
          expect(orders[0]?.key_leased_at).not.toBeNull()
        } else expect(keys.map((k) => k.status)).toEqual(['in_progress'])
        const made = await left.db.selectFrom('sandbox_charges').select('status').execute()
        expect(made.map((c) => c.status)).toEqual(saved ? [] : ['succeeded'])
      } finally {
        await left.close()
      }

      const second = await startProcess(env, port)
      try {
        await new Promise((r) => setTimeout(r, 1100))
        const retry = await second.svc.api<{ orderId: string; items: { paidThrough: string }[] }>(
          'POST',
          '/v1/checkout',
          request,
          line.token
        )
        expect(retry.status, JSON.stringify(retry.body)).toBe(201)
        const replay = await second.svc.api('POST', '/v1/checkout', request, line.token)
        expect(replay.body).toEqual(retry.body)

        const { db, close } = openDatabase(databaseUrl)
        try {
          const charges = await db.selectFrom('sandbox_charges').selectAll().execute()
          expect(charges.map((c) => [c.status, c.amount_minor])).toEqual([['succeeded', 3500]])
          const orders = await db.selectFrom('checkout_orders').selectAll().execute()
          expect(orders.map((o) => [o.status, o.charge_id])).toEqual([['paid', charges[0]?.id]])
          const grants = await db
            .selectFrom('coverage_grants')
            .selectAll()
            .where('line_id', '=', line.lineId)
            .orderBy('starts_at')
            .execute()
          expect(grants.map((g) => g.source_type)).toEqual(['trial', 'order'])
          expect(grants[1]?.starts_at).toBe(grants[0]?.ends_at)
          expect(retry.body.items[0]?.paidThrough).toBe(grants[1]?.ends_at)
          const receipts = await db
            .selectFrom('outbox')
            .select('id')
            .where('purpose', '=', 'receipt')
            .execute()
          expect(receipts).toHaveLength(1)
          const keys = await db
            .selectFrom('idempotency_keys')
            .selectAll()
            .where('endpoint', '=', 'checkout')
            .execute()
          // The answer a replay got: stored with the order (saved card) or under the key.
          if (saved) {
            expect(keys).toEqual([])
            expect(JSON.parse(orders[0]?.response_body ?? 'null')).toEqual([retry.body.items[0]?.paidThrough])
          } else expect(keys.map((k) => k.status)).toEqual(['done'])
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
