/**
 * The account domain's command handlers: the session and dongle-binding commands by hand, and the one way every
 * route command (pass() in the contract, account.* and billing.*) is answered: by calling the route it names.
 */
import type { RouteName } from '../../shared/api/routes'
import { systemZone } from '../../shared/time/business-dates'
import { LINE_CHANGING_ROUTES } from '../../shared/ipc/account'
import type { Handlers, RouteCaller } from '../ipc/dispatcher'
import type { AccountService } from './account-service'
import type { DeviceAttester } from './device-attestation'
import type { ServiceClient } from './service-client'

/** Told after a route that may change the account's lines has succeeded. */
export type LinesChanged = (after: RouteName) => void

/**
 * Answers every route command of the contract (pass(): `account.lines`, `billing.checkout` ...): the dispatcher
 * validated the request against the route's input already; the route is called with the session, and a route
 * marked changesLines tells main after it succeeded.
 */
export function routeCaller(
  account: AccountService,
  linesChanged: LinesChanged = () => undefined
): RouteCaller {
  const changing = new Set<RouteName>(LINE_CHANGING_ROUTES)
  return async (route, request) => {
    // `never`: the type checker cannot tie a route name from the contract to its input; the dispatcher checked it.
    const result = await account.call(route, request as never)
    if (changing.has(route)) linesChanged(route)
    return result
  }
}

/**
 * A sign-up request with this computer's time zone when the screen gave none: a new account counts its business
 * dates (the 1st of a month, due dates) in the zone its person lives in, not UTC. Only for a new account.
 */
function withZone<R extends { timeZone?: string | undefined }>(req: R): R {
  return { ...req, timeZone: req.timeZone ?? systemZone() }
}

/** The account commands main answers by hand (the others are routes, answered by routeCaller). */
type AccountHandlers = { [C in keyof Handlers as C extends `account.${string}` ? C : never]: Handlers[C] }

export function accountHandlers(
  account: AccountService,
  client: ServiceClient,
  serviceUrl: () => string,
  attester: DeviceAttester
): AccountHandlers {
  return {
    'account.serviceStatus': () => client.status(serviceUrl()),
    'account.session': () => account.state(),
    'account.signIn': ({ identifier, password }) => account.signIn(identifier, password),
    'account.signOut': () => account.signOut(),
    'account.finishPhoneSignup': (req) => account.finishPhoneSignup(withZone(req)),
    'account.activateTrial': (req) => account.activate('activateTrial', req),
    // The requests that bind a dongle carry its attestation, which main adds (device-attestation.ts).
    'account.activatePurchased': async (req) =>
      account.activate(
        'activatePurchased',
        await attester.attach(req.account.mode === 'new' ? { ...req, account: withZone(req.account) } : req)
      ),
    'account.startTrial': async (req) => account.call('startTrial', await attester.attach(withZone(req))),
    'account.requestTransfer': async (req) => account.call('requestTransfer', await attester.attach(req))
  }
}
