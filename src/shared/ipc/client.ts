/**
 * The typed face of the contract for the renderer: `invoke('device.list')`, `on('device.changed', ...)`.
 * It runs over any Transport (Electron's preload, or the web host's WebSocket) and turns a failed envelope
 * back into a DialtoneError, so UI code is the same under both hosts.
 */
import type { CommandName, EventName, PayloadOf, RequestOf, ResponseOf } from './contract'
import { DialtoneError, type Envelope } from './errors'

/** What a host offers the renderer: untyped, name-checked. window.dialtone has exactly this shape. */
export interface Transport {
  invoke(channel: string, payload?: unknown): Promise<Envelope<unknown>>
  on(event: string, listener: (payload: unknown) => void): () => void
}

export type ArgsOf<C extends CommandName> = RequestOf<C> extends undefined ? [] : [request: RequestOf<C>]

export interface DialtoneClient {
  invoke<C extends CommandName>(name: C, ...args: ArgsOf<C>): Promise<ResponseOf<C>>
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void
}

export function createClient(transport: Transport): DialtoneClient {
  return {
    async invoke(name, ...args) {
      const envelope = await transport.invoke(name, args[0])
      if (!envelope.ok) throw DialtoneError.fromBody(envelope.error)
      return envelope.value as never
    },
    on(name, listener) {
      return transport.on(name, listener as (payload: unknown) => void)
    }
  }
}
