/**
 * The ops routes of the topic "numbers and reports" (issue 20): number ranges added to the pool and the pool's
 * state per area code and in quarantine; the CSV reports (active lines, renewals and revenue per day, Re-Up
 * cards sold and redeemed); disabling and enabling an operator; dongles shipped from the factory to a partner.
 */
import { z } from 'zod'
import { id, instant } from '../api/common'
import { localDateSchema } from '../api/billing'
import { serialNumber } from '../api/devices'
import { timeZoneSchema } from '../api/time-zone'
import { opsRoute, reasonField } from './route'
import { operatorView } from './operator-view'

const areaCode = z.string().regex(/^\d{3}$/, 'an area code is three digits')
/** A NANP number as people write it (2125550100, +1 212 555 0100, (212) 555-0100); the service checks the plan. */
const nanpNumber = z.string().trim().min(10).max(20)

const report = z.object({
  /** The IANA zone the report's days are counted in. */
  zone: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  rows: z.number().int(),
  csv: z.string()
})
const period = { from: localDateSchema, to: localDateSchema, zone: timeZoneSchema.optional() }

export const NUMBERS_OPS_ROUTES = {
  opsNumbersAddRange: opsRoute({
    method: 'POST',
    path: '/ops/v1/numbers/ranges',
    access: 'numbers.manage',
    status: 201,
    summary:
      'add a range of one exchange (at most 1,000 numbers) to the pool of an area code; all of it or none, numbers already present named',
    input: z.object({ areaCode, from: nanpNumber, to: nanpNumber, reason: reasonField }).strict(),
    output: z.object({
      areaCode: z.string(),
      country: z.enum(['US', 'CA']),
      from: z.string(),
      to: z.string(),
      added: z.number().int()
    })
  }),
  opsNumbersList: opsRoute({
    method: 'GET',
    path: '/ops/v1/numbers',
    access: 'numbers.read',
    summary: 'the pool per area code: free, assigned and in quarantine',
    input: z.object({ areaCode: areaCode.optional() }).strict(),
    output: z.object({
      areas: z.array(
        z.object({
          areaCode: z.string(),
          country: z.string(),
          free: z.number().int(),
          assigned: z.number().int(),
          quarantine: z.number().int(),
          total: z.number().int()
        })
      )
    })
  }),
  opsNumbersQuarantine: opsRoute({
    method: 'GET',
    path: '/ops/v1/numbers/quarantine',
    access: 'numbers.read',
    summary: 'numbers resting in quarantine after release, with since and until (soonest free first)',
    input: z
      .object({ areaCode: areaCode.optional(), limit: z.coerce.number().int().min(1).max(10_000).optional() })
      .strict(),
    output: z.object({
      numbers: z.array(
        z.object({ number: z.string(), areaCode: z.string(), since: instant.nullable(), until: instant })
      )
    })
  }),
  opsReportActiveLines: opsRoute({
    method: 'GET',
    path: '/ops/v1/reports/active-lines',
    access: 'reports.read',
    summary: 'every line in service as CSV (number, account, preferred email, plan, paid-through)',
    input: z.object({ zone: timeZoneSchema.optional() }).strict(),
    output: report
  }),
  opsReportRenewals: opsRoute({
    method: 'GET',
    path: '/ops/v1/reports/renewals',
    access: 'reports.read',
    summary:
      'renewals (online, auto-renew, Re-Up card) and their revenue per day and currency as CSV; days in the reporting zone (America/New_York unless zone is given)',
    input: z.object(period).strict(),
    output: report
  }),
  opsReportVouchers: opsRoute({
    method: 'GET',
    path: '/ops/v1/reports/vouchers',
    access: 'reports.read',
    summary: 'Re-Up cards sold at a till and redeemed, per day and batch, as CSV',
    input: z.object(period).strict(),
    output: report
  }),
  opsOperatorsDisable: opsRoute({
    method: 'POST',
    path: '/ops/v1/operators/:operatorId/disable',
    access: 'operators.disable',
    summary:
      'disable an operator: sign-in refused and every session ended at once (not yourself, not the last active admin)',
    input: z.object({ operatorId: id, reason: reasonField }).strict(),
    output: z.object({ operator: operatorView, sessionsEnded: z.number().int() })
  }),
  opsOperatorsEnable: opsRoute({
    method: 'POST',
    path: '/ops/v1/operators/:operatorId/enable',
    access: 'operators.disable',
    summary: 'enable a disabled operator again (they sign in anew)',
    input: z.object({ operatorId: id, reason: reasonField }).strict(),
    output: z.object({ operator: operatorView })
  }),
  opsRegistryShip: opsRoute({
    method: 'POST',
    path: '/ops/v1/registry/shipments',
    access: 'registry.ship',
    status: 201,
    summary: "record dongles shipped from the factory's stock to a partner: all serials or none",
    input: z
      .object({ partnerId: id, serials: z.array(serialNumber).min(1).max(1000), reason: reasonField })
      .strict(),
    output: z.object({ partnerId: z.string(), shipped: z.number().int() })
  })
} as const
