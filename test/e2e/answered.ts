/**
 * The page's socket with some of main's answers given by the test, for states the run's service cannot be put in
 * on demand (a call in progress, an update downloading, a business's invoices): `answers`' channels are answered
 * by the test and never reach main (unless the test's function gives no answer), `rewrites`' results from main
 * pass through their function, main's events named in `quiet` are dropped (the test speaks for them), and `event`
 * sends the page an event as main sends one. A test's function that throws is said on the test's output and the
 * frame goes on as main sent it (a route handler's error is otherwise lost and the test only times out); an event
 * sent before the page's socket is there throws (it would never arrive).
 */
import type { Page } from '@playwright/test'

/** A result as main's envelope carries it: the value, or a refusal with its code, reason and field issues. */
export type Answer =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; reason?: string; issues?: unknown[] } }

export const ok = (value: unknown): Answer => ({ ok: true, value })
/** An amount in US dollars as the wire carries it (minor units). */
export const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' })
export const refused = (code: string, reason?: string, issues?: unknown[]): Answer => ({
  ok: false,
  error: {
    code,
    // A developer's words, as a real refusal's message is: the page must word the reason, never show this.
    message: 'TypeError: cannot read card of undefined (refused by the test)',
    ...(reason ? { reason } : {}),
    ...(issues ? { issues } : {})
  }
})

export interface Answered {
  /** Sends the page an event, as main does. */
  event(name: string, payload: unknown): void
  /** The payloads the page sent on `channel` so far. */
  asked(channel: string): unknown[]
}

export async function answered(
  page: Page,
  {
    answers = {},
    rewrites = {},
    events = {},
    quiet = []
  }: {
    answers?: Record<string, (payload: Record<string, unknown>) => Answer | undefined>
    rewrites?: Record<string, (value: Record<string, unknown>) => unknown>
    /** Main's events whose payload goes through the function on its way to the page. */
    events?: Record<string, (payload: Record<string, unknown>) => unknown>
    quiet?: readonly string[]
  }
): Promise<Answered> {
  /** The test's function's result, or `undefined` (the frame unchanged) when it throws, said on the output. */
  const safely = <T>(what: string, run: () => T): T | undefined => {
    try {
      return run()
    } catch (e) {
      console.error(`answered.ts: the test's ${what} threw; the frame goes on unchanged:`, e)
      return undefined
    }
  }
  const sent = new Map<string, unknown[]>()
  let toPage: ((frame: unknown) => void) | undefined
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    const rewritten = new Map<number, string>()
    toPage = (frame) => ws.send(JSON.stringify(frame))
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        id?: number
        channel?: string
        payload?: Record<string, unknown>
      }
      const channel = frame.channel ?? ''
      if (channel) sent.set(channel, [...(sent.get(channel) ?? []), frame.payload])
      const answer = safely(`answer to ${channel}`, () => answers[channel]?.(frame.payload ?? {}))
      if (answer) return ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: answer }))
      if (frame.id !== undefined && rewrites[channel]) rewritten.set(frame.id, channel)
      server.send(message)
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        kind: string
        id?: number
        event?: string
        payload?: Record<string, unknown>
        result?: { ok: boolean; value?: Record<string, unknown> }
      }
      if (frame.kind === 'event' && quiet.includes(frame.event ?? '')) return
      const changeEvent = frame.kind === 'event' ? events[frame.event ?? ''] : undefined
      const payload = frame.payload
      if (changeEvent && payload) {
        const changed = safely(`change of ${frame.event}`, () => changeEvent(payload))
        if (changed !== undefined) return ws.send(JSON.stringify({ ...frame, payload: changed }))
        return ws.send(message)
      }
      const channel = rewritten.get(frame.id ?? -1) ?? ''
      const change = frame.kind === 'result' ? rewrites[channel] : undefined
      const value = frame.result?.ok ? frame.result.value : undefined
      if (change && frame.result && value) {
        const changed = safely(`rewrite of ${channel}`, () => change(value))
        if (changed !== undefined)
          return ws.send(JSON.stringify({ ...frame, result: { ...frame.result, value: changed } }))
      }
      ws.send(message)
    })
  })
  return {
    event: (name, payload) => {
      if (!toPage)
        throw new Error(`answered.ts: ${name} sent before the page's socket connected; it would not arrive`)
      toPage({ kind: 'event', event: name, payload })
    },
    asked: (channel) => sent.get(channel) ?? []
  }
}
