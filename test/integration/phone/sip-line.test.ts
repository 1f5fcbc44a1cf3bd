/**
 * The app's SIP line against a real Kamailio reading the real service's database: it registers with the
 * provisioned credentials, says clearly when the password is wrong or the server is down, and after a Kamailio
 * restart is registered again within its back-off bound.
 */
import { createServer } from 'node:net'
import type { NetworkInterfaceInfo } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../../src/main/account/service-client'
import { call } from '../../../src/main/ipc/dispatcher'
import { backoffDelay } from '../../../src/main/backoff'
import { type SipCredentials, SipLine, type SipLineOptions } from '../../../src/main/phone/sip-line'
import { memoryVault } from '../../../src/main/store/secret-vault'
import type { LineStatus } from '../../../src/shared/ipc/phone'
import { type SipStack, startSipStack } from '../../support/sip-stack'
import type { TestService } from '../../support/service'
import { sipCreds, trialLine } from '../../support/service-flows'
import { testApp } from '../../support/test-app'
import { nic } from '../../support/network-interface'
import { rawSip } from '../../support/raw-sip'
import { phoneApp, registeredOf, until } from '../../support/phone-app'
import { callFromLine } from '../../support/raw-sip-line'

const BACKOFF = { initialMs: 200, maxMs: 1000, jitter: 0.2 }

let svc: TestService
let stack: SipStack
let creds: SipCredentials

beforeAll(async () => {
  stack = await startSipStack()
  svc = stack.svc
  const given = await sipCreds<Omit<SipCredentials, 'number'>>(svc, await trialLine(svc))
  creds = { ...given, number: `+${given.username}` }
}, 60_000)
afterAll(() => stack?.close())

/** A line whose status changes are recorded; `until` waits for one. */
function line(provider: () => Promise<SipCredentials>, more: Partial<SipLineOptions> = {}) {
  const seen: LineStatus[] = []
  const waiters: { test: (s: LineStatus) => boolean; resolve: (s: LineStatus) => void }[] = []
  const sip = new SipLine({
    backoff: BACKOFF,
    ...more,
    credentials: provider,
    onStatus: (s) => {
      seen.push(s)
      for (const w of [...waiters])
        if (w.test(s)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(s)
        }
    }
  })
  const until = (test: (s: LineStatus) => boolean, ms = 8000) =>
    new Promise<LineStatus>((resolve, reject) => {
      if (test(sip.status)) return resolve(sip.status)
      const t = setTimeout(() => reject(new Error(`status never matched; saw ${JSON.stringify(seen)}`)), ms)
      waiters.push({ test, resolve: (s) => (clearTimeout(t), resolve(s)) })
    })
  return { sip, seen, until }
}

describe('the SIP line', () => {
  it('registers with the provisioned credentials and reports the number', async () => {
    const l = line(async () => creds)
    await l.sip.start()
    const s = await l.until((x) => x.state === 'registered')
    expect(s).toEqual({
      state: 'registered',
      number: creds.number,
      problem: null,
      retryAt: null,
      reason: null
    })
    expect(await stack.kam.rpc('ul.lookup', ['location', creds.username])).toBeTruthy()
    await l.sip.stop()
    expect(l.sip.status.state).toBe('unregistered')
  })

  it('drops a message its handling throws on, logged, and stays registered (the app does not end)', async () => {
    const logged: string[] = []
    // A handler that throws, as sip.js itself does on some messages: the throw would leave the WebSocket's listener.
    const l = line(async () => creds, {
      log: (m) => void logged.push(m),
      userAgent: {
        delegate: {
          onInvite: () => {
            throw new Error('hostile INVITE')
          }
        }
      }
    })
    await l.sip.start()
    await l.until((x) => x.state === 'registered')
    const fromCreds = await sipCreds(svc, await trialLine(svc))
    const caller = await rawSip()
    try {
      await expect(
        callFromLine(stack.kam.sipPort, caller, fromCreds, creds.username, `throws-${Date.now()}`)
      ).rejects.toThrow()
    } finally {
      caller.close()
    }
    expect(logged).toContain('a SIP message could not be handled and was dropped: hostile INVITE')
    expect(l.sip.status.state).toBe('registered')
    await l.sip.stop()
  })

  it('says the credentials were refused, after reading them again once', async () => {
    let reads = 0
    const l = line(async () => (reads++, { ...creds, password: 'not-the-password' }))
    await l.sip.start()
    const s = await l.until((x) => x.state === 'failed')
    expect(s.reason).toMatch(/refused this line's credentials \(401/)
    expect(s.problem).toBe('credentialsRefused')
    expect(reads).toBe(2)
    await l.sip.stop()
  })

  it('says the server cannot be reached, and keeps trying', async () => {
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as { port: number }).port
    await new Promise((r) => probe.close(r))
    const url = `ws://127.0.0.1:${port}`
    const l = line(async () => ({
      ...creds,
      websocketUrl: url,
      servers: [{ websocketUrl: url, priority: 0, weight: 0 }]
    }))
    await l.sip.start()
    const s = await l.until((x) => x.state === 'unregistered')
    expect(s.reason).toContain(`cannot reach the SIP server at ws://127.0.0.1:${port}`)
    expect(s.reason).toMatch(/retrying in \d+ s/)
    // A server on this computer needs no network: the code says the server, whatever the interfaces.
    expect(s.problem).toBe('serverUnreachable')
    expect(Date.parse(s.retryAt ?? '')).toBeGreaterThan(Date.now() - 100)
    await l.until((x) => x.state === 'registering')
    await l.sip.stop()
  })

  it('stops within seconds when the server takes the connection but answers nothing', async () => {
    const l = line(async () => creds)
    await l.sip.start()
    await l.until((x) => x.state === 'registered')
    stack.kam.freeze(true)
    try {
      const started = Date.now()
      await l.sip.stop()
      // Two bounded steps (the un-REGISTER, the user agent's stop), not SIP's 32 s transaction timeout.
      expect(Date.now() - started).toBeLessThan(6000)
      expect(l.sip.status.state).toBe('unregistered')
    } finally {
      stack.kam.freeze(false)
    }
  }, 20_000)

  it('notices a connection that goes quiet by its heartbeat, and is registered again once the server answers', async () => {
    const heartbeat = { intervalMs: 300, timeoutMs: 1000 }
    const logged: string[] = []
    const l = line(async () => creds, { heartbeat, log: (m) => void logged.push(m) })
    await l.sip.start()
    await l.until((x) => x.state === 'registered')
    // Kamailio's websocket module answers the pings: many rounds later the line has not reconnected.
    await new Promise((r) => setTimeout(r, 1500))
    expect(l.seen.map((s) => s.state)).toEqual(['registering', 'registered'])
    expect(logged.filter((m) => m.includes('heartbeat'))).toEqual([])
    // A server that takes nothing and closes nothing: only the heartbeat can tell (the re-REGISTER is minutes off).
    stack.kam.freeze(true)
    const frozen = Date.now()
    try {
      const lost = await l.until((x) => x.state === 'unregistered', 5000)
      expect(Date.now() - frozen).toBeLessThan(heartbeat.intervalMs + heartbeat.timeoutMs + 1000)
      expect(lost.reason).toMatch(/connection to .* was lost/)
      expect(lost.problem).toBe('serverUnreachable')
      expect(logged).toContain(
        `${creds.websocketUrl} did not answer a heartbeat within ${heartbeat.timeoutMs} ms; reconnecting`
      )
    } finally {
      stack.kam.freeze(false)
    }
    await l.until((x) => x.state === 'registered', 15_000)
    expect(await stack.kam.rpc('ul.lookup', ['location', creds.username])).toBeTruthy()
    await l.sip.stop()
  }, 30_000)

  it('retries at once when the network changes, not at its next try', async () => {
    // The first read of the credentials fails (the network was down): the next try would be 20 s later.
    let reads = 0
    const l = line(
      async () => {
        if (reads++ === 0) throw new Error('getaddrinfo ENOTFOUND dialtone.test')
        return creds
      },
      { backoff: { initialMs: 20_000, maxMs: 20_000, jitter: 0 } }
    )
    await l.sip.start()
    expect((await l.until((x) => x.state === 'unregistered')).reason).toMatch(/retrying in 20 s/)
    const changed = Date.now()
    l.sip.kick('network')
    await l.until((x) => x.state === 'registered', 5000)
    expect(Date.now() - changed).toBeLessThan(5000)
    await l.sip.stop()
  })

  it('asks a connection that looks up at once when the network changes, and reconnects when it is dead', async () => {
    // Its next ping is a minute off: only the network change asks now.
    const l = line(async () => creds, { heartbeat: { intervalMs: 60_000, timeoutMs: 500 } })
    await l.sip.start()
    await l.until((x) => x.state === 'registered')
    // Working: the question is answered and nothing changes.
    l.sip.kick('network')
    await new Promise((r) => setTimeout(r, 1000))
    expect(l.seen.map((s) => s.state)).toEqual(['registering', 'registered'])
    stack.kam.freeze(true)
    try {
      l.sip.kick('network')
      expect((await l.until((x) => x.state === 'unregistered', 3000)).reason).toMatch(
        /connection to .* was lost/
      )
    } finally {
      stack.kam.freeze(false)
    }
    await l.until((x) => x.state === 'registered', 15_000)
    await l.sip.stop()
  }, 30_000)

  it('is registered again within its back-off bound after Kamailio restarts', async () => {
    const l = line(async () => creds)
    await l.sip.start()
    await l.until((x) => x.state === 'registered')
    await stack.kam.stop()
    const lost = await l.until((x) => x.state === 'unregistered')
    expect(lost.reason).toMatch(/connection to .* was lost/)
    await new Promise((r) => setTimeout(r, 1500))
    await stack.restartKamailio()
    const back = Date.now()
    await l.until((x) => x.state === 'registered', 10_000)
    // The longest wait is one capped back-off step with jitter, plus the registration itself.
    expect(Date.now() - back).toBeLessThan(BACKOFF.maxMs * (1 + BACKOFF.jitter) + 1000)
    expect(await stack.kam.rpc('ul.lookup', ['location', creds.username])).toBeTruthy()
    await l.sip.stop()
  }, 30_000)
})

describe('the phone in the app', () => {
  it('registers the account’s in-service line by itself after sign-in, and stops on sign-out', async () => {
    const t = testApp({
      service: createServiceClient(),
      vault: memoryVault(),
      settingsDefaults: { serviceUrl: svc.base },
      sipBackoff: BACKOFF
    })
    const statuses: LineStatus[] = []
    t.app.events.subscribe((name, payload) => {
      if (name === 'phone.statusChanged') statuses.push(payload as LineStatus)
    })
    t.app.start()
    try {
      expect(await call(t.app.dispatch, 'phone.status', undefined)).toMatchObject({ state: 'unconfigured' })
      const owner = await trialLine(svc)
      await call(t.app.dispatch, 'account.signIn', { identifier: owner.email, password: owner.password })
      const deadline = Date.now() + 8000
      while (
        (await call(t.app.dispatch, 'phone.status', undefined)).state !== 'registered' &&
        Date.now() < deadline
      )
        await new Promise((r) => setTimeout(r, 50))
      const status = await call(t.app.dispatch, 'phone.status', undefined)
      expect(status.state, JSON.stringify(statuses)).toBe('registered')
      expect(status.number).toMatch(/^\+1\d{10}$/)
      expect(statuses.map((s) => s.state)).toContain('registering')
      await call(t.app.dispatch, 'account.signOut', undefined)
      await t.app.phone.refresh()
      expect(await call(t.app.dispatch, 'phone.status', undefined)).toMatchObject({ state: 'unconfigured' })
    } finally {
      await t.app.dispose()
    }
  })
})

describe('the phone in the app when the network changes', () => {
  it('asks its connection at once, finds it dead, and registers again', async () => {
    // This computer's addresses as the app reads them (the test changes them), and a heartbeat a minute apart.
    let addresses: NodeJS.Dict<NetworkInterfaceInfo[]> = { wlan0: [nic('192.168.1.20')] }
    const { t } = await phoneApp(stack, false, {
      sipHeartbeat: { intervalMs: 60_000, timeoutMs: 500 },
      networkWatch: { intervalMs: 50, interfaces: () => addresses }
    })
    const status = () => call(t.app.dispatch, 'phone.status', undefined)
    try {
      stack.kam.freeze(true)
      try {
        // Another Wi-Fi network: the connection was made from an address that is gone.
        addresses = { wlan0: [nic('10.20.0.7')] }
        const lost = await until(status, (s) => s.state === 'unregistered', 3000)
        expect(lost.reason).toMatch(/connection to .* was lost/)
      } finally {
        stack.kam.freeze(false)
      }
      await registeredOf(t, 15_000)
    } finally {
      await t.app.dispose()
    }
  }, 30_000)
})

describe('back-off', () => {
  it('doubles from its start up to its cap, with bounded jitter', () => {
    const o = { initialMs: 500, maxMs: 30_000, jitter: 0.2 }
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, o, () => 0.5))).toEqual([
      500, 1000, 2000, 4000, 30_000
    ])
    expect(backoffDelay(0, o, () => 0)).toBe(400)
    expect(backoffDelay(0, o, () => 1)).toBe(600)
  })
})
