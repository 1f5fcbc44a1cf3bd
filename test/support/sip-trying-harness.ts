/**
 * sip.js as main bundles it (scripts/main-commonjs.ts applies scripts/sip-trying-when-silent.ts), fed one INVITE
 * through an in-memory transport: prints the status codes it sent, in order, as one JSON line. argv[2] says what
 * the application does in its INVITE handler: "ring" (180 at once, as Dialtone's line does), "reject" (486 at once)
 * or "later" (nothing in the handler; 180 after 50 ms). Run by test/unit/scripts/sip-trying-when-silent.test.ts.
 */
import { UserAgent, type Invitation } from 'sip.js'

const mode = process.argv[2] ?? 'ring'
const sent: number[] = []
class MemoryTransport {
  onConnect: (() => void) | undefined
  onDisconnect: ((e?: Error) => void) | undefined
  onMessage: ((message: string) => void) | undefined
  state = 'Connected'
  stateChange = { addListener: () => undefined, removeListener: () => undefined }
  protocol = 'WSS'
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  dispose(): Promise<void> {
    return Promise.resolve()
  }
  isConnected(): boolean {
    return true
  }
  send(message: string): Promise<void> {
    const status = /^SIP\/2\.0 (\d{3})/.exec(message)
    if (status) sent.push(Number(status[1]))
    return Promise.resolve()
  }
}
const ua = new UserAgent({
  uri: UserAgent.makeURI('sip:callee@dialtone.test'),
  transportConstructor: MemoryTransport as never,
  logLevel: 'error',
  // As Dialtone's line (src/main/phone/sip-line.ts): the application sends the 180 itself.
  sendInitialProvisionalResponse: false,
  delegate: {
    onInvite(invitation: Invitation) {
      const failed = (err: unknown): void => console.error(err)
      if (mode === 'ring') invitation.progress().catch(failed)
      else if (mode === 'reject') invitation.reject({ statusCode: 486 }).catch(failed)
      else setTimeout(() => invitation.progress().catch(failed), 50)
    }
  }
})
await ua.start()
const invite = [
  'INVITE sip:callee@dialtone.test SIP/2.0',
  'Via: SIP/2.0/WSS 127.0.0.1:5066;branch=z9hG4bK-dialtone-1',
  'Max-Forwards: 69',
  'To: <sip:callee@dialtone.test>',
  'From: <sip:caller@dialtone.test>;tag=caller-tag',
  'Call-ID: trying-test-1',
  'CSeq: 1 INVITE',
  'Contact: <sip:caller@127.0.0.1:5066;transport=ws>',
  'Content-Length: 0',
  '',
  ''
].join('\r\n')
;(ua.transport as unknown as MemoryTransport).onMessage?.(invite)
setTimeout(() => {
  process.stdout.write(`${JSON.stringify(sent)}\n`)
  process.exit(0)
}, 150)
