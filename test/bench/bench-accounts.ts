/**
 * Accounts for the billing and load benchmarks, made straight through the service's own functions: each a trial
 * activated on its own "IP" (the trial limits are per IP) with a saved sandbox card that succeeds.
 */
import { addMethod } from '../../src/server/billing/payment-methods'
import type { ServiceContext } from '../../src/server/context'
import { activateTrial, startTrial } from '../../src/server/devices/trial'
import { attestDirect } from '../support/dongles'

const AREAS = ['201', '212', '312', '415', '617', '713']

export interface BenchAccount {
  readonly accountId: string
  readonly lineId: string
  readonly token: string
  /** The saved card's payment method id. */
  readonly pm: string
}

export async function benchAccounts(
  ctx: ServiceContext,
  count: number,
  prefix: string
): Promise<BenchAccount[]> {
  const out: BenchAccount[] = []
  for (let i = 0; i < count; i++) {
    const ip = `10.1.${i >> 8}.${i & 255}`
    const email = `${prefix.toLowerCase()}${i}@example.test`
    const serial = `${prefix}${i.toString().padStart(6, '0')}`
    const t = await startTrial(
      ctx,
      {
        serial,
        attestation: await attestDirect(ctx, serial),
        model: '06e6:c200',
        name: 'Bench',
        accountType: 'individual',
        billingAddress: {
          street: '1 Main St',
          city: 'Hoboken',
          region: 'NJ',
          postalCode: '07030',
          country: 'US'
        },
        email,
        password: 'quiet harbor lantern 7',
        areaCode: AREAS[i % AREAS.length] ?? '201',
        acceptances: {
          termsVersion: ctx.config.legal.termsVersion,
          e911DisclosureVersion: ctx.config.legal.e911DisclosureVersion
        }
      },
      ip
    )
    const mail = await ctx.db
      .selectFrom('outbox')
      .select('body')
      .where('recipient', '=', email)
      .executeTakeFirstOrThrow()
    const a = await activateTrial(ctx, t.trialId, /\b(\d{6})\b/.exec(mail.body ?? '')?.[1] ?? '', ip)
    const pm = await addMethod(
      ctx,
      a.accountId,
      { number: '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123' },
      { makeDefault: true, keep: true }
    )
    out.push({ accountId: a.accountId, lineId: a.lineId, token: a.session?.token ?? '', pm: pm.id })
  }
  return out
}
