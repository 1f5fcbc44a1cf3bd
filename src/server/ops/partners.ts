/**
 * Partners (retail shops' tills, the web shop) and their API keys. A key is `dtk_` + 256 random bits, shown once;
 * only its SHA-256 is kept (a random 256-bit secret needs no slow hash). Rotating issues a new key and revokes
 * every earlier one of that partner in the same transaction, so a partner never holds two live keys. A key acts
 * for exactly one partner: the till's calls are scoped to the batches shipped to it.
 */
import type { ServiceContext } from '../context'
import { inTransaction } from '../context'
import type { PartnersTable } from '../db/schema-ops'
import { notFound } from '../http/errors'
import { newId, newToken, sha256 } from '../secrets'
import type { OpsActor } from './actor'

export interface PartnerView {
  id: string
  name: string
  kind: 'retail' | 'webshop'
  createdAt: string
  activeKeys: number
}

export async function createPartner(
  ctx: ServiceContext,
  spec: { name: string; kind: 'retail' | 'webshop' }
): Promise<PartnerView> {
  const row: PartnersTable = {
    id: newId('ptn'),
    name: spec.name,
    kind: spec.kind,
    webhook_secret_enc: null,
    created_at: ctx.clock.now().toISOString()
  }
  await ctx.db.insertInto('partners').values(row).execute()
  return { id: row.id, name: row.name, kind: row.kind, createdAt: row.created_at, activeKeys: 0 }
}

export async function listPartners(ctx: ServiceContext): Promise<PartnerView[]> {
  const rows = await ctx.db.selectFrom('partners').selectAll().orderBy('created_at').execute()
  const keys = await ctx.db
    .selectFrom('partner_keys')
    .select(['partner_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('revoked_at', 'is', null)
    .groupBy('partner_id')
    .execute()
  const count = new Map(keys.map((k) => [k.partner_id, Number(k.n)]))
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    createdAt: r.created_at,
    activeKeys: count.get(r.id) ?? 0
  }))
}

export async function findPartner(ctx: ServiceContext, id: string): Promise<PartnersTable> {
  const row = await ctx.db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('partner-not-found', 'the partner')
  return row
}

/** A new key for the partner; every earlier key stops working at once. */
export async function rotatePartnerKey(
  ctx: ServiceContext,
  partnerId: string,
  by: string
): Promise<{ keyId: string; apiKey: string; revoked: number }> {
  await findPartner(ctx, partnerId)
  const apiKey = newToken('dtk')
  const keyId = newId('pkey')
  const revoked = await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    const r = await tx.db
      .updateTable('partner_keys')
      .set({ revoked_at: now })
      .where('partner_id', '=', partnerId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    await tx.db
      .insertInto('partner_keys')
      .values({
        id: keyId,
        partner_id: partnerId,
        key_hash: sha256(apiKey),
        created_by: by,
        created_at: now,
        revoked_at: null
      })
      .execute()
    return Number(r.numUpdatedRows)
  })
  return { keyId, apiKey, revoked }
}

/** The partner behind a live API key, acting with its kind's role. */
export async function authenticatePartner(ctx: ServiceContext, key: string): Promise<OpsActor | null> {
  if (!/^dtk_[A-Za-z0-9_-]{43}$/.test(key)) return null
  const row = await ctx.db
    .selectFrom('partner_keys')
    .innerJoin('partners', 'partners.id', 'partner_keys.partner_id')
    .select(['partners.id', 'partners.name', 'partners.kind', 'partner_keys.revoked_at'])
    .where('partner_keys.key_hash', '=', sha256(key))
    .executeTakeFirst()
  if (!row || row.revoked_at !== null) return null
  return {
    kind: 'partner',
    id: row.id,
    label: row.name,
    name: row.name,
    role: row.kind === 'retail' ? 'retail-partner' : null,
    partnerId: row.id,
    sessionId: null,
    expiresAt: null
  }
}
