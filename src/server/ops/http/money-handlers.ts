/**
 * The money topic's ops handlers (issue 20): refunds and the lists behind them. The audit entry of a refund names
 * the account and charge, and holds the charge's refunded total and the balance before and after (a refused
 * refund keeps the "before", so the log shows what the refusal left untouched).
 */
import type { MONEY_OPS_ROUTES } from '../../../shared/ops/routes-money'
import type { ServiceContext } from '../../context'
import { balanceOf } from '../../billing/balance'
import { refundableCharge, refundableCharges } from '../../billing/refund-charges'
import { listRefunds, refund } from '../../billing/refunds'
import { retrySettlement, stuckSettlements } from '../../billing/stuck-settlements'
import { requireAccount } from '../accounts/view'
import { type HandlersOf, actorOf } from './handlers-of'

export function moneyHandlers(ctx: ServiceContext): HandlersOf<keyof typeof MONEY_OPS_ROUTES> {
  const chargeState = async (accountId: string, chargeId: string) => {
    const c = await refundableCharge(ctx, accountId, chargeId)
    return {
      refundedMinor: c?.refundedMinor ?? null,
      refundableMinor: c?.refundableMinor ?? null,
      balanceMinor: await balanceOf(ctx, accountId)
    }
  }
  return {
    opsRefundsCreate: async (input, act) => {
      const actor = actorOf(act)
      act.target(`${input.accountId}/${input.chargeId}`)
      act.before(await chargeState(input.accountId, input.chargeId))
      const done = await refund(
        ctx,
        { id: actor.id, limited: actor.role === 'support' },
        {
          accountId: input.accountId,
          chargeId: input.chargeId,
          amountMinor: input.amountMinor,
          to: input.to,
          reason: input.reason,
          idempotencyKey: input.idempotencyKey
        }
      )
      const after = await chargeState(input.accountId, input.chargeId)
      act.after({
        ...after,
        refund: done.id,
        amountMinor: done.amountMinor,
        to: done.to,
        status: done.status
      })
      return { refund: done, balanceMinor: after.balanceMinor }
    },
    opsRefundsList: async (input, act) => {
      act.target(input.accountId)
      return { refunds: await listRefunds(ctx, input.accountId) }
    },
    opsSettlementsStuck: () => stuckSettlements(ctx),
    opsSettlementsRetry: async (input, act) => {
      act.target(`${input.kind}/${input.id}`)
      const done = await retrySettlement(ctx, input.kind, input.id)
      act.after({ settled: done.settled, reason: done.reason, attempts: done.settlement?.attempts ?? null })
      return done
    },
    opsRefundsCandidates: async (input, act) => {
      act.target(input.accountId)
      await requireAccount(ctx, input.accountId)
      const charges = await refundableCharges(ctx, input.accountId)
      return {
        balanceMinor: await balanceOf(ctx, input.accountId),
        charges: charges.map((c) => ({
          id: c.id,
          kind: c.kind,
          at: c.at,
          amountMinor: c.amountMinor,
          refundedMinor: c.refundedMinor,
          refundableMinor: c.refundableMinor,
          currency: c.currency,
          card: c.card
        }))
      }
    }
  }
}
