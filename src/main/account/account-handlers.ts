/**
 * The account domain's command handlers: the session commands by hand, every pass-through command as the one
 * service route it names (PASSTHROUGH_ROUTES in the contract), so adding one is a line in the contract.
 */
import type { RouteName } from '../../shared/api/routes'
import { LINE_CHANGING_ROUTES, PASSTHROUGH_ROUTES } from '../../shared/ipc/account'
import { BILLING_ROUTES } from '../../shared/ipc/billing'
import type { Handlers } from '../ipc/dispatcher'
import type { AccountService } from './account-service'
import type { DeviceAttester } from './device-attestation'
import type { ServiceClient } from './service-client'

/** Told after a route that may change the account's lines has succeeded. */
export type LinesChanged = (after: RouteName) => void

/** `<prefix>.<route>` handlers that each call their one route with the session. */
export function passthroughHandlers(
  prefix: string,
  routes: readonly RouteName[],
  account: AccountService,
  linesChanged: LinesChanged = () => undefined
): Record<string, (req: never) => Promise<unknown>> {
  const changing = new Set<RouteName>(LINE_CHANGING_ROUTES)
  return Object.fromEntries(
    routes.map((route) => [
      `${prefix}.${route}`,
      async (req: never) => {
        const result = await account.call(route, req)
        if (changing.has(route)) linesChanged(route)
        return result
      }
    ])
  )
}

type BillingHandlers = { [C in keyof Handlers as C extends `billing.${string}` ? C : never]: Handlers[C] }

export const billingHandlers = (account: AccountService, linesChanged?: LinesChanged): BillingHandlers =>
  passthroughHandlers('billing', BILLING_ROUTES, account, linesChanged) as unknown as BillingHandlers

type AccountHandlers = { [C in keyof Handlers as C extends `account.${string}` ? C : never]: Handlers[C] }

export function accountHandlers(
  account: AccountService,
  client: ServiceClient,
  serviceUrl: () => string,
  attester: DeviceAttester,
  linesChanged?: LinesChanged
): AccountHandlers {
  const passthrough = passthroughHandlers('account', PASSTHROUGH_ROUTES, account, linesChanged)
  return {
    ...(passthrough as unknown as Omit<
      AccountHandlers,
      | 'account.serviceStatus'
      | 'account.session'
      | 'account.signIn'
      | 'account.signOut'
      | 'account.finishPhoneSignup'
      | 'account.activateTrial'
      | 'account.activatePurchased'
      | 'account.startTrial'
      | 'account.requestTransfer'
    >),
    'account.serviceStatus': () => client.status(serviceUrl()),
    'account.session': () => account.state(),
    'account.signIn': ({ identifier, password }) => account.signIn(identifier, password),
    'account.signOut': () => account.signOut(),
    'account.finishPhoneSignup': (req) => account.finishPhoneSignup(req),
    'account.activateTrial': (req) => account.activate('activateTrial', req),
    // The requests that bind a dongle carry its attestation, which main adds (device-attestation.ts).
    'account.activatePurchased': async (req) =>
      account.activate('activatePurchased', await attester.attach(req)),
    'account.startTrial': async (req) => account.call('startTrial', await attester.attach(req)),
    'account.requestTransfer': async (req) => account.call('requestTransfer', await attester.attach(req))
  }
}
