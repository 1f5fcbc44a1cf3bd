/**
 * The manufacturing registry: every dongle the factory made, with the public half of the key pair whose private
 * half only that dongle holds. Entries arrive a factory batch at a time (tests and the dev seed today; the ops
 * CLI of issue 20 later, from a CSV of model, serial and public key): a batch goes in whole or not at all, and
 * every bad entry is reported by its position, so nothing is half-imported. Which models attest at all is the
 * service's configuration (ServiceConfig.devices.attestingModels), not the registry's.
 */
import { z } from 'zod'
import devKeysJson from '../../../resources/virtual/dev-attestation-keys.json'
import { publicKeyBase64 } from '../../shared/api/attestation'
import { modelId, serialNumber } from '../../shared/api/devices'
import { type WireIssue, issueFromZod } from '../../shared/api/issues'
import { type ServiceContext, inTransaction } from '../context'
import type { DeviceRegistryTable } from '../db/schema'
import { ServiceError } from '../http/errors'

export const registryEntry = z
  .object({ model: modelId, serial: serialNumber, publicKey: publicKeyBase64 })
  .strict()
export type RegistryEntry = z.infer<typeof registryEntry>

const batchName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a batch is 1-64 letters, digits, dots, dashes')

/**
 * Adds a factory batch. All entries are checked first (format, duplicates inside the batch, serials already
 * registered); any problem refuses the whole batch with every problem listed as `entries[i].field: message`.
 */
export async function importBatch(
  ctx: ServiceContext,
  batch: string,
  entries: readonly unknown[]
): Promise<{ added: number }> {
  const issues: WireIssue[] = []
  if (!batchName.safeParse(batch).success)
    issues.push({
      path: 'batch',
      code: 'bad-format',
      params: { format: 'batch' },
      message: 'a batch is 1-64 letters, digits, dots or dashes'
    })
  const parsed: RegistryEntry[] = []
  const seen = new Set<string>()
  entries.forEach((raw, i) => {
    const r = registryEntry.safeParse(raw)
    if (!r.success) {
      for (const issue of r.error.issues) {
        const worded = issueFromZod(issue, entries[i])
        issues.push({ ...worded, path: `entries[${i}]${worded.path ? `.${worded.path}` : ''}` })
      }
      return
    }
    if (seen.has(r.data.serial))
      issues.push({
        path: `entries[${i}].serial`,
        code: 'duplicate-serial',
        message: 'appears twice in this batch'
      })
    seen.add(r.data.serial)
    parsed.push(r.data)
  })
  if (issues.length === 0 && parsed.length > 0) {
    const existing = await ctx.db
      .selectFrom('device_registry')
      .select('serial')
      .where(
        'serial',
        'in',
        parsed.map((e) => e.serial)
      )
      .execute()
    const taken = new Set(existing.map((e) => e.serial))
    parsed.forEach((e, i) => {
      if (taken.has(e.serial))
        issues.push({
          path: `entries[${i}].serial`,
          code: 'serial-registered',
          message: 'this serial is already registered'
        })
    })
  }
  if (issues.length > 0)
    throw new ServiceError('invalid-input', `the batch was not imported: ${issues.length} problem(s)`, {
      issues,
      reason: 'registry-batch-invalid'
    })
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    // Chunks keep each INSERT under SQLite's bound-parameter limit for large batches.
    for (let i = 0; i < parsed.length; i += 200) {
      await tx.db
        .insertInto('device_registry')
        .values(
          parsed.slice(i, i + 200).map((e) => ({
            serial: e.serial,
            model: e.model,
            public_key: e.publicKey,
            batch,
            created_at: now,
            revoked_at: null,
            revoked_by: null,
            revoked_reason: null
          }))
        )
        .execute()
    }
    await tx.audit.record('registry.batch-imported', { detail: { batch, count: parsed.length } })
  })
  return { added: parsed.length }
}

export async function findRegistryEntry(
  ctx: ServiceContext,
  serial: string
): Promise<DeviceRegistryTable | undefined> {
  return ctx.db.selectFrom('device_registry').selectAll().where('serial', '=', serial).executeTakeFirst()
}

/** The committed development keys of the virtual dongle and the rig's gadgets (resources/virtual). */
const devKeysFile = z.object({
  warning: z.string(),
  model: modelId,
  batch: z.string(),
  dongles: z.array(z.object({ serial: serialNumber, privateKey: z.string(), publicKey: publicKeyBase64 }))
})

/**
 * A development service trusts the development dongles: their public keys go into the registry at start (those
 * not there yet). Never called in production mode: anyone can sign with these keys.
 */
export async function seedDevelopmentDongles(ctx: ServiceContext): Promise<void> {
  if (ctx.config.mode !== 'development') throw new Error('development keys are for development mode only')
  const file = devKeysFile.parse(devKeysJson)
  const known = new Set(
    (
      await ctx.db
        .selectFrom('device_registry')
        .select('serial')
        .where(
          'serial',
          'in',
          file.dongles.map((d) => d.serial)
        )
        .execute()
    ).map((r) => r.serial)
  )
  const missing = file.dongles.filter((d) => !known.has(d.serial))
  if (missing.length > 0)
    await importBatch(
      ctx,
      file.batch,
      missing.map((d) => ({ model: file.model, serial: d.serial, publicKey: d.publicKey }))
    )
}
