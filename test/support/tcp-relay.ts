/**
 * A TCP relay in front of a server whose connections a test can cut at once, as a network that drops does: the
 * far side sees its client vanish without a goodbye, the near side a connection that ends mid-answer.
 */
import { type Socket, connect, createServer } from 'node:net'

export interface TcpRelay {
  readonly port: number
  /** Destroys every connection the relay carries now (new ones still go through). */
  cut(): void
  close(): Promise<void>
}

export async function tcpRelay(host: string, port: number): Promise<TcpRelay> {
  const sockets: Socket[] = []
  const server = createServer((near) => {
    const far = connect(port, host)
    near.pipe(far).pipe(near)
    near.on('error', () => undefined)
    far.on('error', () => undefined)
    sockets.push(near, far)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      for (const s of sockets.splice(0)) s.destroy()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets.splice(0)) s.destroy()
        server.close(() => resolve())
      })
  }
}
