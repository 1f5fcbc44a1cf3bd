/**
 * Main's outgoing events. Every payload is checked against the contract before it leaves, so a bug in main
 * surfaces here (logged, not sent) instead of as a malformed message in the UI. Hosts subscribe once and
 * forward everything: Electron to its windows, the web host to its sockets. The check is the payload schema
 * compiled once per event (compiled-check.ts: zod's verdict and output at a fraction of the cost; a hotplug's
 * device.changed waits for it); zod itself names the issues of a refused payload, and checks the schemas the
 * compiler does not take.
 */
import { eventDef, type EventName, type PayloadOf } from '../../shared/ipc/contract'
import type { Logger } from '../log/logger'
import { compileCheck, REFUSED, type CompiledCheck } from './compiled-check'

export type EventListener = (name: EventName, payload: unknown) => void

export class EventBus {
  private readonly listeners = new Set<EventListener>()
  /** Each event's compiled check, built at its first emit (null: the schema is zod's alone). */
  private static readonly checks = new Map<EventName, CompiledCheck | null>()

  constructor(private readonly log: Logger) {}

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    const compiled = EventBus.compiled(name)
    let data = compiled ? compiled(payload) : REFUSED
    if (data === REFUSED) {
      // Refused by the compiled check, or not compiled: zod decides, and names the issues of a refusal.
      const checked = eventDef(name).payload.safeParse(payload)
      if (!checked.success) {
        this.log.error(
          { event: name, issues: checked.error.issues },
          'event payload breaks the contract; not sent'
        )
        return
      }
      data = checked.data
    }
    for (const listener of this.listeners) {
      try {
        listener(name, data)
      } catch (err) {
        this.log.error({ event: name, err }, 'event listener failed')
      }
    }
  }

  private static compiled(name: EventName): CompiledCheck | null {
    let compiled = EventBus.checks.get(name)
    if (compiled === undefined) {
      compiled = compileCheck(eventDef(name).payload)
      EventBus.checks.set(name, compiled)
    }
    return compiled
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
