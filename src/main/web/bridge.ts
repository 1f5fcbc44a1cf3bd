/**
 * One browser tab's connection to main: frames in are contract calls, dispatched exactly as Electron's
 * binding dispatches them; main's events go out to every connected tab. A frame that is not a call gets a
 * protocol error and the connection stays up: a buggy page must not be able to crash main.
 */
import type { WebSocket } from 'ws'
import { callFrameSchema, type ServerFrame } from '../../shared/ipc/wire'
import type { DialtoneApp } from '../app'
import { logFailure, type Logger } from '../log/logger'

export function bridgeSocket(socket: WebSocket, app: DialtoneApp, origin: string, log: Logger): void {
  const send = (frame: ServerFrame): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
  }
  const unsubscribe = app.events.subscribe((event, payload) => send({ kind: 'event', event, payload }))
  socket.on('close', unsubscribe)
  socket.on('error', (err) => log.warn({ err }, 'web bridge socket error'))
  socket.on('message', (data, isBinary) => {
    if (isBinary)
      return send({ kind: 'protocolError', message: 'binary frames are not part of the protocol' })
    let parsed: unknown
    try {
      parsed = JSON.parse(data.toString())
    } catch {
      return send({ kind: 'protocolError', message: 'a frame must be JSON' })
    }
    const call = callFrameSchema.safeParse(parsed)
    if (!call.success)
      return send({ kind: 'protocolError', message: 'a frame must be {kind:"call", id, channel, payload}' })
    const { id, channel, payload } = call.data
    void app
      .dispatch(channel, payload, { host: 'web', origin })
      .then((result) => send({ kind: 'result', id, result }))
      .catch(logFailure(log, 'a web bridge call'))
  })
}
