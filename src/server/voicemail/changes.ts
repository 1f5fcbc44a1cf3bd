/**
 * "This line's box changed" (a message left, heard or deleted): the voicemail server's message-waiting notifier
 * listens per service context, so the API (same process) and the call flows both light or clear the lamp.
 */
import type { ServiceContext } from '../context'

const listeners = new WeakMap<ServiceContext, Set<(lineId: string) => void>>()

export function onVoicemailChanged(ctx: ServiceContext, fn: (lineId: string) => void): () => void {
  let set = listeners.get(ctx)
  if (!set) listeners.set(ctx, (set = new Set()))
  set.add(fn)
  return () => set.delete(fn)
}

export function voicemailChanged(ctx: ServiceContext, lineId: string): void {
  for (const fn of listeners.get(ctx) ?? []) fn(lineId)
}
