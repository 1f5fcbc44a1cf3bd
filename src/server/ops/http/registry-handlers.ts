/**
 * The ops API's registry handlers: a leaked key revoked or restored, a proof of purchase accepted or withdrawn
 * (../registry-actions.ts). Each names the serial as its target and the state before and after, which serve-ops.ts
 * writes to the audit log with the operator's reason.
 */
import type { REGISTRY_OPS_ROUTES } from '../../../shared/ops/routes-registry'
import type { ServiceContext } from '../../context'
import { acceptProof, restoreKey, revokeKey, withdrawProof } from '../registry-actions'
import { type HandlersOf, actorOf } from './handlers-of'

export function registryHandlers(ctx: ServiceContext): HandlersOf<keyof typeof REGISTRY_OPS_ROUTES> {
  return {
    opsRegistryRevoke: async ({ serial, reason }, act) => {
      act.target(serial)
      act.before({ revokedAt: null })
      const out = await revokeKey(ctx, serial, actorOf(act).id, reason)
      act.after({ revokedAt: out.revokedAt })
      return out
    },
    opsRegistryRestore: async ({ serial }, act) => {
      act.target(serial)
      const { revokedAt } = await restoreKey(ctx, serial)
      act.before({ revokedAt })
      act.after({ revokedAt: null })
      return { serial }
    },
    opsRegistryProofAccept: async (input, act) => {
      act.target(input.serial)
      const out = await acceptProof(ctx, input, actorOf(act))
      act.after({ proof: out.proofId, email: out.email, model: input.model, expiresAt: out.expiresAt })
      return out
    },
    opsRegistryProofWithdraw: async ({ serial }, act) => {
      act.target(serial)
      const out = await withdrawProof(ctx, serial)
      act.before({ proof: out.proofId, email: out.email })
      act.after({ proof: null })
      return { serial, proofId: out.proofId }
    }
  }
}
