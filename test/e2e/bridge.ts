/** Calls the contract over the web host's socket from the test process, as a second page would. */
import WebSocket from 'ws'
import type { Envelope } from '../../src/shared/ipc/errors'
import { E2E } from './env'

export function callMain(channel: string, payload?: unknown): Promise<Envelope<unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${E2E.webPort}/ipc?token=${E2E.token}`, {
      headers: { Origin: E2E.webUrl }
    })
    ws.once('error', reject)
    ws.once('open', () => ws.send(JSON.stringify({ kind: 'call', id: 1, channel, payload })))
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { kind: string; result?: Envelope<unknown> }
      if (frame.kind !== 'result' || !frame.result) return
      resolve(frame.result)
      ws.close()
    })
  })
}
