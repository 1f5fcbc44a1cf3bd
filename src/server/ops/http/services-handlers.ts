/**
 * The ops API's connected services handlers (issue 25): the catalog listed, a service offered, repriced or
 * retired. Each change names its target and the state before and after, which serve-ops.ts writes to the audit
 * log with the operator's reason.
 */
import type { SERVICES_OPS_ROUTES } from '../../../shared/ops/routes-services'
import type { ServiceContext } from '../../context'
import { addService, listCatalog, priceService, retireService } from '../../services/catalog'
import type { HandlersOf } from './handlers-of'

export function servicesHandlers(ctx: ServiceContext): HandlersOf<keyof typeof SERVICES_OPS_ROUTES> {
  return {
    opsServicesList: async () => ({ services: await listCatalog(ctx) }),
    opsServicesAdd: async ({ reason: _, ...input }, act) => {
      act.target(input.code)
      const service = await addService(ctx, input)
      act.before(null)
      act.after(service)
      return { service }
    },
    opsServicesPrice: async ({ code, priceMinor }, act) => {
      act.target(code)
      const { before, after } = await priceService(ctx, code, priceMinor)
      act.before({ priceMinor: before.priceMinor })
      act.after({ priceMinor: after.priceMinor })
      return { service: after }
    },
    opsServicesRetire: async ({ code }, act) => {
      act.target(code)
      const { before, after } = await retireService(ctx, code)
      act.before({ retiredAt: before.retiredAt })
      act.after({ retiredAt: after.retiredAt })
      return { service: after }
    }
  }
}
