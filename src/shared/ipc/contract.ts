/**
 * The one contract between the renderer and main: every command and event of every domain. The preload, the
 * Electron binding and the web bridge are all derived from it, so adding a command is one edit in one
 * domain file (plus its handler in main, which the type checker then demands).
 */
import type { z } from 'zod'
import type { RouteName } from '../api/routes'
import type { CommandDef, Domain, EventDef } from './define'
import { accountDomain } from './account'
import { appDomain } from './app'
import { billingDomain } from './billing'
import { deviceDomain } from './device'
import { diagnosticsDomain } from './diagnostics'
import { forwardingDomain } from './forwarding'
import { helpDomain } from './help'
import { businessDomain } from './business'
import { mediaDomain } from './media'
import { phoneDomain } from './phone'
import { servicesDomain } from './services'
import { setupDomain } from './setup'
import { voicemailDomain } from './voicemail'

export const DOMAINS = [
  appDomain,
  deviceDomain,
  diagnosticsDomain,
  setupDomain,
  phoneDomain,
  mediaDomain,
  accountDomain,
  billingDomain,
  forwardingDomain,
  voicemailDomain,
  // support (issue 25)
  helpDomain,
  // connected services (issue 25)
  servicesDomain,
  // business accounts (issue 25)
  businessDomain
] as const

type Domains = (typeof DOMAINS)[number]
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never

export type Commands = UnionToIntersection<Domains['commands']>
export type Events = UnionToIntersection<Domains['events']>
export type CommandName = keyof Commands & string
export type EventName = keyof Events & string
export type RequestOf<C extends CommandName> = z.input<Commands[C]['request']>
export type ResponseOf<C extends CommandName> = z.output<Commands[C]['response']>
export type PayloadOf<E extends EventName> = z.output<Events[E]['payload']>
/** The commands that are exactly one service route (made with pass()): main answers them all one way. */
export type RouteCommandName = {
  [C in CommandName]: Commands[C] extends { readonly route: RouteName } ? C : never
}[CommandName]

/** Merges the domains, refusing a name that lacks its domain prefix or that two domains both claim. */
export function mergeDomains(domains: readonly Domain[]): {
  commands: Record<string, CommandDef>
  events: Record<string, EventDef>
} {
  const commands: Record<string, CommandDef> = {}
  const events: Record<string, EventDef> = {}
  const claim = (into: Record<string, unknown>, d: Domain, name: string, value: unknown): void => {
    if (!name.startsWith(`${d.name}.`))
      throw new Error(`contract: '${name}' is declared in domain '${d.name}'`)
    if (Object.hasOwn(commands, name) || Object.hasOwn(events, name))
      throw new Error(`contract: '${name}' is declared twice`)
    into[name] = value
  }
  for (const d of domains) {
    for (const [name, def] of Object.entries(d.commands)) claim(commands, d, name, def)
    for (const [name, def] of Object.entries(d.events)) claim(events, d, name, def)
  }
  return { commands, events }
}

const merged = mergeDomains(DOMAINS)
export const commands = merged.commands as unknown as Commands
export const events = merged.events as unknown as Events
export const COMMAND_NAMES = Object.freeze(Object.keys(merged.commands)) as readonly CommandName[]
export const EVENT_NAMES = Object.freeze(Object.keys(merged.events)) as readonly EventName[]

export const isCommandName = (name: unknown): name is CommandName =>
  typeof name === 'string' && Object.hasOwn(merged.commands, name)
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.hasOwn(merged.events, name)

/** Untyped look-ups for the generic code paths (dispatcher, bridges) that take a name from the wire. */
export const commandDef = (name: CommandName): CommandDef => merged.commands[name] as CommandDef
export const eventDef = (name: EventName): EventDef => merged.events[name] as EventDef
