/**
 * The building blocks of the IPC contract: a command is a request schema, a response schema and a sentence;
 * an event is a payload schema and a sentence. Domain files (app.ts, device.ts ...) declare theirs with
 * these helpers; contract.ts merges them. Nothing here does I/O.
 */
import { z } from 'zod'
import type { RouteName } from '../api/routes'

export interface CommandDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  /** Validated in main before the handler runs: the renderer is untrusted. */
  readonly request: Req
  /** Checked in main before the answer leaves, so a handler cannot drift from the contract. */
  readonly response: Res
  readonly summary: string
  /** The service route this command is, when it is exactly one (pass()): main answers all of those one way. */
  readonly route?: RouteName
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P
  readonly summary: string
}

export const command = <Req extends z.ZodType, Res extends z.ZodType>(
  def: CommandDef<Req, Res>
): CommandDef<Req, Res> => def

export const event = <P extends z.ZodType>(def: EventDef<P>): EventDef<P> => def

/** A domain's share of the contract. Every name starts with `${domain}.`; contract.ts checks it. */
export interface Domain<
  C extends Record<string, CommandDef> = Record<string, CommandDef>,
  E extends Record<string, EventDef> = Record<string, EventDef>
> {
  readonly name: string
  readonly commands: C
  readonly events: E
}

export const domain = <C extends Record<string, CommandDef>, E extends Record<string, EventDef>>(
  d: Domain<C, E>
): Domain<C, E> => d

/** The request schema of a command that takes nothing. */
export const noArgs = z.undefined({ error: 'this command takes no argument' })
