/**
 * The ops handlers of the topic "numbers and reports" (issue 20): number ranges and the pool, the CSV reports,
 * disabling and enabling operators, and dongles shipped to a partner. Each names its target and its before and
 * after for the audit row (serve-ops.ts), which commits with the action.
 */
import type { NUMBERS_OPS_ROUTES } from '../../../shared/ops/routes-numbers'
import type { ServiceContext } from '../../context'
import { addNumberRange, poolCounts, quarantined } from '../../numbers/ranges'
import { disableOperator, enableOperator } from '../operator-status'
import { shipDevices } from '../registry-shipments'
import { REPORT_ZONE, activeLinesReport, renewalsReport, vouchersReport } from '../reports'
import { type HandlersOf, actorOf } from './handlers-of'

export function numbersHandlers(ctx: ServiceContext): HandlersOf<keyof typeof NUMBERS_OPS_ROUTES> {
  return {
    opsNumbersAddRange: async (input, act) => {
      act.target(input.areaCode)
      const added = await addNumberRange(ctx, input)
      act.after(added)
      return added
    },
    opsNumbersList: async ({ areaCode }) => ({ areas: await poolCounts(ctx, areaCode) }),
    opsNumbersQuarantine: async ({ areaCode, limit }) => ({
      numbers: await quarantined(ctx, areaCode, limit ?? 1000)
    }),
    opsReportActiveLines: async ({ zone }, act) => {
      const out = await activeLinesReport(ctx, zone ?? REPORT_ZONE)
      act.after({ rows: out.rows, zone: out.zone })
      return out
    },
    opsReportRenewals: async ({ from, to, zone }, act) => {
      const out = await renewalsReport(ctx, { from, to, zone: zone ?? REPORT_ZONE })
      act.after({ rows: out.rows, zone: out.zone, from, to })
      return out
    },
    opsReportVouchers: async ({ from, to, zone }, act) => {
      const out = await vouchersReport(ctx, { from, to, zone: zone ?? REPORT_ZONE })
      act.after({ rows: out.rows, zone: out.zone, from, to })
      return out
    },
    opsOperatorsDisable: async ({ operatorId }, act) => {
      act.target(operatorId)
      const out = await disableOperator(ctx, operatorId, actorOf(act))
      act.before({ status: out.before.status })
      act.after({ status: out.operator.status, sessionsEnded: out.sessionsEnded })
      return { operator: out.operator, sessionsEnded: out.sessionsEnded }
    },
    opsOperatorsEnable: async ({ operatorId }, act) => {
      act.target(operatorId)
      const out = await enableOperator(ctx, operatorId)
      act.before({ status: out.before.status })
      act.after({ status: out.operator.status })
      return { operator: out.operator }
    },
    opsRegistryShip: async ({ partnerId, serials }, act) => {
      act.target(partnerId)
      const out = await shipDevices(ctx, { serials, partnerId }, actorOf(act))
      act.after({ ...out, serials })
      return out
    }
  }
}
