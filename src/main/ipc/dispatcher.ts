/**
 * The single entry for every command from every host: look the name up in the contract, validate the
 * request, run the handler, check the response, and wrap the outcome in an envelope. Hosts never call
 * handlers directly, so validation cannot be forgotten by a new host or a new command.
 */
import type { RouteName } from '../../shared/api/routes'
import {
  COMMAND_NAMES,
  commandDef,
  isCommandName,
  type CommandName,
  type RequestOf,
  type ResponseOf,
  type RouteCommandName
} from '../../shared/ipc/contract'
import { DialtoneError, type Envelope } from '../../shared/ipc/errors'
import { parseOrThrow } from '../../shared/ipc/validate'
import type { Logger } from '../log/logger'

/** Who is calling, for logs and for handlers that care (never trusted for authorisation by itself). */
export interface CallContext {
  readonly host: 'electron' | 'web' | 'test'
  readonly origin: string
}

export type Handler<C extends CommandName> = (
  request: RequestOf<C>,
  context: CallContext
) => Promise<ResponseOf<C>> | ResponseOf<C>

/**
 * One handler for every command that is not a service route: the type checker refuses a contract command without
 * one (and createDispatcher checks again at start). The route commands (pass() in the contract) need none: the
 * dispatcher gives each to the RouteCaller with the route its def names.
 */
export type Handlers = { [C in Exclude<CommandName, RouteCommandName>]: Handler<C> }

/** Calls a service route with a request already validated against that route's input; answers its output. */
export type RouteCaller = (route: RouteName, request: unknown) => Promise<unknown>

export type Dispatch = (
  channel: unknown,
  payload: unknown,
  context: CallContext
) => Promise<Envelope<unknown>>

/**
 * The start-up check behind the types: every contract command has exactly one way to be answered (a handler, or
 * its route), and no handler answers a name the contract does not have. Fails loudly: a host that starts with a
 * command nobody answers would only find out when someone clicks.
 */
export function assertHandlersCoverContract(handlers: object): void {
  const own = (name: string): boolean =>
    Object.hasOwn(handlers, name) && typeof (handlers as Record<string, unknown>)[name] === 'function'
  const missing = COMMAND_NAMES.filter((name) => commandDef(name).route === undefined && !own(name))
  const doubled = COMMAND_NAMES.filter((name) => commandDef(name).route !== undefined && own(name))
  const stray = Object.keys(handlers).filter((name) => !isCommandName(name))
  const problems = [
    ...(missing.length ? [`no handler for ${missing.join(', ')}`] : []),
    ...(doubled.length ? [`a handler for the route command(s) ${doubled.join(', ')}`] : []),
    ...(stray.length ? [`handlers for names not in the contract: ${stray.join(', ')}`] : [])
  ]
  if (problems.length > 0)
    throw new Error(`the IPC handlers do not match the contract: ${problems.join('; ')}`)
}

export function createDispatcher(handlers: Handlers, callRoute: RouteCaller, log: Logger): Dispatch {
  assertHandlersCoverContract(handlers)
  return async (channel, payload, context) => {
    if (!isCommandName(channel)) {
      // Not String(channel): a hostile object (say { toString: null }) would throw instead of being refused.
      const name = typeof channel === 'string' ? channel.slice(0, 100) : `(${typeof channel})`
      log.warn({ channel: name, origin: context.origin }, 'unknown command refused')
      return fail(new DialtoneError('UNKNOWN_COMMAND', `no command named '${name}'`, [], 'unknown-command'))
    }
    const def = commandDef(channel)
    try {
      const request = parseOrThrow(def.request, payload, `bad argument to ${channel}`)
      // Narrowed by the contract, not by the type checker (which cannot tie a name from the wire to its handler).
      const value =
        def.route !== undefined
          ? await callRoute(def.route, request)
          : await (handlers[channel as keyof Handlers] as (req: unknown, ctx: CallContext) => unknown)(
              request,
              context
            )
      const checked = def.response.safeParse(value)
      if (!checked.success) {
        log.error({ channel, issues: checked.error.issues }, 'handler answer breaks the contract')
        return fail(
          new DialtoneError(
            'INTERNAL',
            `${channel} produced an answer the contract does not allow`,
            [],
            'contract-broken'
          )
        )
      }
      return { ok: true, value: checked.data }
    } catch (err) {
      if (err instanceof DialtoneError) {
        if (err.code !== 'INVALID_ARGUMENT') log.info({ channel, code: err.code }, err.message)
        return fail(err)
      }
      log.error({ channel, err }, 'command failed unexpectedly')
      return fail(
        new DialtoneError(
          'INTERNAL',
          `${channel} failed unexpectedly; details are in the log`,
          [],
          'unexpected'
        )
      )
    }
  }
}

const fail = (err: DialtoneError): Envelope<never> => ({ ok: false, error: err.toBody() })

/** For tests and in-process callers: dispatch with the contract's types, throwing on failure. */
export async function call<C extends CommandName>(
  dispatch: Dispatch,
  name: C,
  request: RequestOf<C>,
  context: CallContext = { host: 'test', origin: 'test' }
): Promise<ResponseOf<C>> {
  const envelope = await dispatch(name, request, context)
  if (!envelope.ok) throw DialtoneError.fromBody(envelope.error)
  return envelope.value as ResponseOf<C>
}
