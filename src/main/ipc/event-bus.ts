/**
 * Main's outgoing events. Every payload is checked against the contract before it leaves, so a bug in main
 * surfaces here (logged, not sent) instead of as a malformed message in the UI. Hosts subscribe once and
 * forward everything: Electron to its windows, the web host to its sockets.
 */
import { eventDef, type EventName, type PayloadOf } from '../../shared/ipc/contract'
import type { Logger } from '../log/logger'

export type EventListener = (name: EventName, payload: unknown) => void

export class EventBus {
  private readonly listeners = new Set<EventListener>()

  constructor(private readonly log: Logger) {}

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    const checked = eventDef(name).payload.safeParse(payload)
    if (!checked.success) {
      this.log.error(
        { event: name, issues: checked.error.issues },
        'event payload breaks the contract; not sent'
      )
      return
    }
    for (const listener of this.listeners) {
      try {
        listener(name, checked.data)
      } catch (err) {
        this.log.error({ event: name, err }, 'event listener failed')
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
