/**
 * Register with sip.js in Node over WebSocket (the same library and transport the app uses) and report how it
 * ended: 'registered', or the SIP status that refused it. sip.js's register() resolves when the REGISTER is
 * sent, so the outcome is read from the request delegate (accept / reject) with a timeout.
 */
import { Registerer, RegistererState, UserAgent } from 'sip.js'
import WebSocket from 'ws'

export interface Registration {
  readonly outcome: 'registered' | number | 'timeout'
  readonly ua: UserAgent
  readonly registerer: Registerer
  stop(): Promise<void>
}

export async function register(
  creds: { uri: string; username: string; password: string; websocketUrl: string },
  timeoutMs = 5000
): Promise<Registration> {
  ;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket
  const uri = UserAgent.makeURI(creds.uri)
  if (!uri) throw new Error(`bad SIP URI ${creds.uri}`)
  const ua = new UserAgent({
    uri,
    authorizationUsername: creds.username,
    authorizationPassword: creds.password,
    transportOptions: { server: creds.websocketUrl, traceSip: false },
    logLevel: 'error',
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } }
  })
  await ua.start()
  const registerer = new Registerer(ua, { expires: 300 })
  const outcome = await new Promise<Registration['outcome']>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs)
    registerer.stateChange.addListener((s) => {
      if (s === RegistererState.Registered) {
        clearTimeout(timer)
        resolve('registered')
      }
    })
    void registerer
      .register({
        requestDelegate: {
          onReject: (response) => {
            clearTimeout(timer)
            resolve(response.message.statusCode ?? 0)
          }
        }
      })
      .catch((err: unknown) => console.error('registerer.register failed', err))
  })
  return {
    outcome,
    ua,
    registerer,
    async stop() {
      await ua.stop().catch(() => undefined)
    }
  }
}
