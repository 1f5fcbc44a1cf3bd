/**
 * The ops routes of connected services (issue 25 part 1): operators list the catalog, offer a service (a feature
 * with its monthly fee and whether new lines start with it), change a price (with the reason, kept in the audit
 * log; lines pay the new price from the next month) and retire one (lines keep it until they switch it off).
 */
import { z } from 'zod'
import { SERVICE_FEATURES, serviceCode, serviceFeeMinor } from '../api/services'
import { instant } from '../api/common'
import { opsRoute, reasonField } from './route'

export const opsServiceView = z.object({
  code: z.string(),
  feature: z.enum(SERVICE_FEATURES),
  priceMinor: z.number().int(),
  currency: z.string(),
  defaultOn: z.boolean(),
  /** Lines that have it switched on by their own choice (not the default). */
  linesOn: z.number().int(),
  createdAt: instant,
  updatedAt: instant,
  retiredAt: instant.nullable()
})

const codeParam = z.object({ code: serviceCode })

export const SERVICES_OPS_ROUTES = {
  opsServicesList: opsRoute({
    method: 'GET',
    path: '/ops/v1/services',
    access: 'services.read',
    summary:
      'the connected services catalog: code, feature, monthly fee, default, lines switched on, retired',
    input: null,
    output: z.object({ services: z.array(opsServiceView) })
  }),
  opsServicesAdd: opsRoute({
    method: 'POST',
    path: '/ops/v1/services',
    access: 'services.manage',
    status: 201,
    summary:
      'offer a service: a feature not offered now, its monthly fee (0 = free) and whether new lines have it on',
    input: codeParam
      .extend({
        feature: z.enum(SERVICE_FEATURES),
        priceMinor: serviceFeeMinor,
        defaultOn: z.boolean(),
        reason: reasonField
      })
      .strict(),
    output: z.object({ service: opsServiceView })
  }),
  opsServicesPrice: opsRoute({
    method: 'POST',
    path: '/ops/v1/services/:code/price',
    access: 'services.manage',
    summary: "change a service's monthly fee: lines pay it from the next month (this month's charges stand)",
    input: codeParam.extend({ priceMinor: serviceFeeMinor, reason: reasonField }).strict(),
    output: z.object({ service: opsServiceView })
  }),
  opsServicesRetire: opsRoute({
    method: 'POST',
    path: '/ops/v1/services/:code/retire',
    access: 'services.manage',
    summary:
      'stop offering a service: no line can switch it on; lines that have it keep it until they switch it off',
    input: codeParam.extend({ reason: reasonField }).strict(),
    output: z.object({ service: opsServiceView })
  })
} as const
