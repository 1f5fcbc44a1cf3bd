/**
 * The single entry for every command from every host: look the name up in the contract, validate the
 * request, run the handler, check the response, and wrap the outcome in an envelope. Hosts never call
 * handlers directly, so validation cannot be forgotten by a new host or a new command.
 */
import {
  commandDef,
  isCommandName,
  type CommandName,
  type RequestOf,
  type ResponseOf
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

/** One handler for every command: the type checker refuses a contract command without one. */
export type Handlers = { [C in CommandName]: Handler<C> }

export type Dispatch = (
  channel: unknown,
  payload: unknown,
  context: CallContext
) => Promise<Envelope<unknown>>

export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
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
      const handler = handlers[channel] as (req: unknown, ctx: CallContext) => unknown
      const value = await handler(request, context)
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
