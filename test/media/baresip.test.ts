/**
 * baresip, a second SIP stack that shares no code with sip.js, as the far end: registered over UDP with its own
 * provisioned line in the same Kamailio. The app calls it (baresip answers by itself) and hangs up; baresip
 * calls the app, the app answers as if the handset were lifted, and baresip hangs up. Both sides must agree on
 * every step. Runs in the isolated namespace (npm run test:media): baresip needs its dead-end veth there.
 */
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { SipCredentials } from '../../src/shared/api/devices'
import { type Baresip, startBaresip } from '../support/baresip'
import { assertIsolatedNetwork, type PhoneApp, phaseOf, phoneApp, until } from '../support/phone-app'
import { trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import { disposeWithin } from '../support/dispose-within'

let stack: SipStack
let app: PhoneApp
let peer: Baresip
let peerNumber: string

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  app = await phoneApp(stack)
  const line = await trialLine(stack.svc)
  const creds = (
    await stack.svc.api<SipCredentials>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)
  ).body
  peerNumber = `+${creds.username}`
  peer = await startBaresip({
    aor: `${creds.username}@${creds.domain}`,
    password: creds.password,
    proxyPort: stack.plan.sipPort,
    autoAnswer: true
  })
  await peer.waitFor(/200 OK .*\[1 binding\]/)
}, 60_000)

afterAll(async () => {
  await peer?.stop()
  if (app) await disposeWithin(app.t.app, 10_000, 'baresip')
  await stack?.close()
})

describe('baresip as the far end', () => {
  it('answers the app’s call; the app’s hang-up ends it at baresip', async () => {
    const from = peer.output().length
    await call(app.t.app.dispatch, 'phone.dial', { number: peerNumber })
    await phaseOf(app.t, 'connected')
    expect(await peer.waitFor(/Call established|call established/i, 8000, from)).toBeTruthy()
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    await peer.waitFor(/terminated|closed/i, 8000, from)
    expect((await phaseOf(app.t, 'idle')).call).toBeNull()
  })

  it('calls the app, which rings, answers off-hook, and ends when baresip hangs up', async () => {
    const from = peer.output().length
    peer.command(`/dial sip:${app.number.replace(/^\+/, '')}@dialtone.test`)
    const ringing = await phaseOf(app.t, 'ringing')
    expect(ringing.call).toMatchObject({ direction: 'in', remote: peerNumber })
    await call(app.t.app.dispatch, 'phone.answer', undefined)
    await phaseOf(app.t, 'connected')
    await peer.waitFor(/Call established|call established/i, 8000, from)
    peer.command('/hangup')
    expect((await phaseOf(app.t, 'reorder')).reason).toBe('the other party hung up')
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    const history = await until(
      () => call(app.t.app.dispatch, 'phone.history', undefined),
      (h) => h.calls.length >= 2
    )
    expect(history.calls[0]).toMatchObject({ direction: 'in', remote: peerNumber, outcome: 'answered' })
    expect(history.calls[1]).toMatchObject({ direction: 'out', remote: peerNumber, outcome: 'answered' })
  })
})
