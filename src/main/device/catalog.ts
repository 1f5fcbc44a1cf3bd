/**
 * The known-device catalog (resources/catalog/catalog.json): which USB ids are which dongle, with its
 * picture, driver, power need, interfaces and a stored report descriptor for systems where the OS will not
 * give one. Validated when loaded: a broken catalog is a build error, not a runtime surprise.
 */
import { z } from 'zod'
import catalogJson from '../../../resources/catalog/catalog.json'

const hex4 = z.string().regex(/^[0-9a-f]{4}$/, 'four lower-case hex digits')

const modelSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  maker: z.string().min(1),
  vendorId: hex4,
  productId: hex4,
  picture: z.string().regex(/^[a-z0-9-]+\.svg$/),
  driver: z.enum(['tigerjet', 'hid-telephony']),
  powerNeedMa: z.number().int().positive().max(900),
  interfaces: z.object({ audio: z.boolean(), hidTelephony: z.boolean(), storage: z.boolean() }),
  reportDescriptor: z.string().regex(/^([0-9a-f]{2})+$/),
  source: z.string()
})

export const catalogSchema = z.object({
  version: z.literal(1),
  models: z.array(modelSchema),
  generic: z.object({
    id: z.string(),
    name: z.string(),
    picture: z.string(),
    driver: z.literal('hid-telephony')
  })
})

export type CatalogModel = z.infer<typeof modelSchema>
export type Catalog = z.infer<typeof catalogSchema>

export const CATALOG: Catalog = catalogSchema.parse(catalogJson)

export function findModel(
  vendorId: number,
  productId: number,
  catalog: Catalog = CATALOG
): CatalogModel | null {
  const v = vendorId.toString(16).padStart(4, '0')
  const p = productId.toString(16).padStart(4, '0')
  return catalog.models.find((m) => m.vendorId === v && m.productId === p) ?? null
}

export const descriptorBytes = (model: CatalogModel): Uint8Array =>
  Uint8Array.from(Buffer.from(model.reportDescriptor, 'hex'))
