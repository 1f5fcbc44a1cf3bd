/**
 * The money after a load run, counted from the database: every account's balance is exactly its distinct top-ups,
 * every succeeded charge belongs to exactly one distinct paid intent (top-up or renewal), every distinct renewal
 * has one paid order, and the vouchers redeemed are the ones the clients saw redeemed. Shared by the load and the
 * scale benchmarks.
 */
import type { ServiceContext } from '../../src/server/context'
import type { BenchAccount } from './bench-accounts'

export interface MoneyCount {
  readonly distinctIntents: number
  readonly succeededCharges: number
  readonly paidOrders: number
  readonly distinctRenewals: number
  readonly accountsWithWrongBalance: number
  readonly vouchersRedeemed: number
  readonly vouchersRedeemedInDb: number
  /** wrk's accounts (./wrk.ts), counted together: top-ups and renewals answered 200/201 by the service. */
  readonly pooled?: { accounts: number; topUps: number; renewals: number; balanceExact: boolean }
}

const sum = (rows: { n: number | string | bigint | null }[]) => Number(rows[0]?.n ?? 0)

export async function countMoney(
  ctx: ServiceContext,
  accounts: readonly BenchAccount[],
  seen: { toppedUp: Set<string>[]; renewed: Set<string>[]; redeemed: Set<string>; topUpMinor: number },
  /**
   * Accounts whose requests came from wrk, which counts answers, not keys (every key it sends is new): their
   * balances together must be exactly `topUps` top-ups, and their charges and orders join the totals.
   */
  pooled?: { accounts: readonly BenchAccount[]; topUps: number; renewals: number }
): Promise<MoneyCount> {
  let balanceMismatches = 0
  for (const [a, acct] of accounts.entries()) {
    const got = sum(
      await ctx.db
        .selectFrom('balance_entries')
        .select((eb) => eb.fn.sum<number>('amount_minor').as('n'))
        .where('account_id', '=', acct.accountId)
        .execute()
    )
    if (got !== seen.topUpMinor * (seen.toppedUp[a]?.size ?? 0)) balanceMismatches++
  }
  const count = async (
    table: 'sandbox_charges' | 'checkout_orders' | 'vouchers',
    col: string,
    value: string
  ) =>
    sum(
      await ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(col as never, '=', value as never)
        .execute()
    )
  let pooledBalance = 0
  for (const acct of pooled?.accounts ?? [])
    pooledBalance += sum(
      await ctx.db
        .selectFrom('balance_entries')
        .select((eb) => eb.fn.sum<number>('amount_minor').as('n'))
        .where('account_id', '=', acct.accountId)
        .execute()
    )
  const renewals = seen.renewed.reduce((n, s) => n + s.size, 0) + (pooled?.renewals ?? 0)
  return {
    distinctIntents: seen.toppedUp.reduce((n, s) => n + s.size, 0) + (pooled?.topUps ?? 0) + renewals,
    succeededCharges: await count('sandbox_charges', 'status', 'succeeded'),
    paidOrders: await count('checkout_orders', 'status', 'paid'),
    distinctRenewals: renewals,
    accountsWithWrongBalance: balanceMismatches,
    vouchersRedeemed: seen.redeemed.size,
    vouchersRedeemedInDb: await count('vouchers', 'state', 'redeemed'),
    ...(pooled && {
      pooled: {
        accounts: pooled.accounts.length,
        topUps: pooled.topUps,
        renewals: pooled.renewals,
        balanceExact: pooledBalance === seen.topUpMinor * pooled.topUps
      }
    })
  }
}

/** Nothing lost, nothing doubled. */
export const moneyExact = (m: MoneyCount): boolean =>
  m.accountsWithWrongBalance === 0 &&
  m.succeededCharges === m.distinctIntents &&
  m.paidOrders === m.distinctRenewals &&
  m.vouchersRedeemedInDb === m.vouchersRedeemed &&
  (m.pooled?.balanceExact ?? true)
