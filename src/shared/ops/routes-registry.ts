/**
 * The ops API's actions on a dongle's standing in the manufacturing registry (src/server/ops/registry-actions.ts):
 * a leaked factory key revoked (or restored when revoked in error), and a proof of purchase support accepted for a
 * dongle that cannot prove itself (or withdrawn). Importing batches, a serial's history and shipments are in
 * ./routes.ts and ./routes-numbers.ts.
 */
import { z } from 'zod'
import { emailAddress, instant, text } from '../api/common'
import { modelId, serialNumber } from '../api/devices'
import { signupLanguage } from '../api/message-language'
import { opsRoute, reasonField } from './route'

const serialAndReason = z.object({ serial: serialNumber, reason: reasonField }).strict()

export const REGISTRY_OPS_ROUTES = {
  opsRegistryRevoke: opsRoute({
    method: 'POST',
    path: '/ops/v1/registry/:serial/revoke',
    access: 'registry.revoke',
    summary:
      "revoke a dongle's leaked factory key: no trial, activation or transfer accepts its proof from now on",
    input: serialAndReason,
    output: z.object({ serial: z.string(), revokedAt: instant })
  }),
  opsRegistryRestore: opsRoute({
    method: 'POST',
    path: '/ops/v1/registry/:serial/restore',
    access: 'registry.revoke',
    summary: 'restore a factory key revoked in error: the dongle proves itself again',
    input: serialAndReason,
    output: z.object({ serial: z.string() })
  }),
  opsRegistryProofAccept: opsRoute({
    method: 'POST',
    path: '/ops/v1/registry/:serial/proofs',
    access: 'registry.proof',
    status: 201,
    // The per-operator limit (a rate limiter) is counted outside the action's transaction.
    atomic: false,
    summary:
      'accept a proof of purchase for a dongle that cannot prove itself: a code goes to that email, with which its owner activates it as bought, once',
    input: z
      .object({
        serial: serialNumber,
        model: modelId,
        email: emailAddress,
        proof: text(3, 200),
        /** The language of the code's email (the app's six); else that of the account with this address, else English. */
        ...signupLanguage,
        reason: reasonField
      })
      .strict(),
    output: z.object({ proofId: z.string(), serial: z.string(), email: z.string(), expiresAt: instant })
  }),
  opsRegistryProofWithdraw: opsRoute({
    method: 'POST',
    path: '/ops/v1/registry/:serial/proofs/withdraw',
    access: 'registry.proof',
    summary: 'withdraw the proof of purchase waiting for a dongle (accepted in error)',
    input: serialAndReason,
    output: z.object({ serial: z.string(), proofId: z.string() })
  })
} as const
