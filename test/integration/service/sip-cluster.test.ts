/**
 * Two Kamailio nodes sharing registrations over DMQ (resources/kamailio/dmq.cfg) on one PostgreSQL, with the app's
 * SIP line given both by the service (SRV-style priorities): the line registers on A (its first server), a call
 * sent to B reaches it (B sends it along the Path to A, which holds the line's WebSocket) and hangs up cleanly;
 * then A is stopped, the line re-registers on B within its back-off bound, and the next call through B is answered.
 * The nodes listen on distinct loopback addresses (127.0.0.2 and .3), not in network namespaces of their own: a node
 * in its own namespace needs PostgreSQL and the service reachable across a veth pair, and the run's PostgreSQL
 * listens on 127.0.0.1 only. Each node still has its own address (as DMQ and the Path loop check need: both compare
 * addresses, and on one address every node would look like every other), its own processes and its own copy of the
 * registrations in memory; "A going away" is A's processes stopped, its connections closed. And the credit of calls
 * abroad (credit.cfg): a call that ended on A is taken off the next call's credit on B before the rating has charged
 * it (the memory of ended calls copied by htable's DMQ replication), so the pair does not give it twice. A flood ban
 * made on one node is copied to the other, and so is its lifting.
 */
import { createHash } from 'node:crypto'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Inviter, type Invitation, SessionState, UserAgent } from 'sip.js'
import { type SipCredentials, SipLine } from '../../../src/main/phone/sip-line'
import { staticSdhFactory } from '../../../src/main/phone/static-sdh'
import type { LineStatus } from '../../../src/shared/ipc/phone'
import {
  type KamailioInstance,
  type KamailioPlan,
  kamailioRole,
  planKamailio,
  startKamailio
} from '../../support/kamailio'
import { type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'
import { postEntry } from '../../../src/server/billing/balance'
import { type RawSip, answerOk, rawSip } from '../../support/raw-sip'
import { rawSipWs, sendOptions } from '../../support/raw-sip-ws'
import { gatewaysUp, saveRawGateways } from '../../support/raw-gateways'
import { type Rtpengine, startRtpengine } from '../../support/rtpengine'

const BACKOFF = { initialMs: 300, maxMs: 2000, jitter: 0.2 }
const dmqUri = (p: KamailioPlan) => `sip:${p.addr}:${p.sipPort}`

describe('two SIP servers sharing registrations (PostgreSQL)', () => {
  let svc: TestService
  let planA: KamailioPlan
  let planB: KamailioPlan
  let kamA: KamailioInstance | null = null
  let kamB: KamailioInstance
  const lines: SipLine[] = []
  const agents: UserAgent[] = []
  /** The carrier for calls abroad (the UK), and the media relay its calls go through. */
  let world: RawSip
  let rtpe: Rtpengine

  beforeAll(async () => {
    planA = await planKamailio('127.0.0.2')
    planB = await planKamailio('127.0.0.3')
    svc = await startTestService('postgres', {
      sip: {
        domain: 'dialtone.test',
        websocketUrl: planA.wsUrl,
        servers: [
          { websocketUrl: planB.wsUrl, priority: 20, weight: 0 },
          { websocketUrl: planA.wsUrl, priority: 10, weight: 0 }
        ],
        rpcUrl: planA.rpcUrl,
        accountingDir: null
      }
    })
    world = await rawSip(answerOk)
    rtpe = await startRtpengine()
    const gateways = [{ name: 'world', routeSet: 2, port: world.port, prefixes: ['44'] }]
    await saveRawGateways(svc.service.database.db, gateways)
    const dbUrl = kamailioRole(svc.service.ctx.config.databaseUrl)
    const node = (plan: KamailioPlan, peer: KamailioPlan) =>
      startKamailio({
        dbUrl,
        plan,
        postgres: true,
        rtpengineSock: rtpe.sock,
        dmq: { self: dmqUri(plan), peer: dmqUri(peer) },
        // A small flood limit, for the ban copied between the nodes (no line here comes near it).
        flood: { density: 10, banSeconds: 60 }
      })
    ;[kamA, kamB] = await Promise.all([node(planA, planB), node(planB, planA)])
    for (const k of [kamA, kamB]) await gatewaysUp(k, gateways)
  }, 60_000)

  afterAll(async () => {
    for (const l of lines) await l.stop().catch(() => undefined)
    for (const ua of agents) await ua.stop().catch(() => undefined)
    await kamA?.stop()
    await kamB?.stop()
    await svc?.close()
    world?.close()
    await rtpe?.stop()
  })

  /** Waits for `test` to hold, polling; the last failure is the error. */
  async function eventually<T>(what: string, read: () => Promise<T>, test: (x: T) => boolean, ms = 15_000) {
    const deadline = Date.now() + ms
    let last: T | undefined
    for (;;) {
      last = await read().catch(() => undefined)
      if (last !== undefined && test(last)) return last
      if (Date.now() > deadline) throw new Error(`${what}: last seen ${JSON.stringify(last)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /** The app's line, answering every call at once; `statuses` and `answered` record what happened. */
  function appLine(creds: SipCredentials) {
    const statuses: { at: number; status: LineStatus; server: string | null }[] = []
    const answered: Invitation[] = []
    const sip: SipLine = new SipLine({
      credentials: async () => creds,
      backoff: BACKOFF,
      onStatus: (status) => statuses.push({ at: Date.now(), status, server: sip.serverUrl }),
      userAgent: {
        sessionDescriptionHandlerFactory: staticSdhFactory(),
        delegate: {
          onInvite: (invitation) => {
            answered.push(invitation)
            void invitation.accept().catch((err: unknown) => console.error('accept failed', err))
          }
        }
      }
    })
    lines.push(sip)
    return { sip, statuses, answered }
  }

  /** A caller's call through `server` to `to`: answered (Established), then hung up by the caller after `talkMs`. */
  async function callThrough(server: string, from: Creds, to: string, talkMs = 0): Promise<void> {
    // sip.js's transport takes the global WebSocket, which Node 20 has not (the app's SipLine sets it the same way).
    ;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket
    const ua = new UserAgent({
      uri: UserAgent.makeURI(from.uri),
      authorizationUsername: from.authorizationUsername,
      authorizationPassword: from.password,
      transportOptions: { server },
      sessionDescriptionHandlerFactory: staticSdhFactory(),
      logLevel: 'error',
      logBuiltinEnabled: false
    })
    agents.push(ua)
    await ua.start()
    const target = UserAgent.makeURI(`sip:${to}@dialtone.test`)
    if (!target) throw new Error('bad target')
    const inviter = new Inviter(ua, target)
    let refused = ''
    const established = new Promise<void>((resolve, reject) => {
      inviter.stateChange.addListener((s) => {
        if (s === SessionState.Established) resolve()
        // A turn later: sip.js ends the session before it hands the refusal to onReject.
        if (s === SessionState.Terminated)
          setImmediate(() => reject(new Error(`the call ended before it was answered ${refused}`)))
      })
    })
    await inviter.invite({
      requestDelegate: {
        onReject: (r) => (refused = `(${r.message.statusCode} ${r.message.reasonPhrase})`)
      }
    })
    await established
    if (talkMs > 0) await new Promise((r) => setTimeout(r, talkMs))
    await inviter.bye()
    await ua.stop()
  }

  interface Creds extends SipCredentials {
    readonly lineId: string
  }
  async function credsOf(): Promise<Creds> {
    const line = await trialLine(svc)
    const r = await svc.api<Omit<Creds, 'number'>>(
      'GET',
      `/v1/lines/${line.lineId}/sip`,
      undefined,
      line.token
    )
    expect(r.status).toBe(200)
    return { ...r.body, number: `+${r.body.username}` }
  }

  /** Both nodes know each other as active (before anything registers or calls). */
  async function clusterFormed(): Promise<void> {
    for (const k of [kamA!, kamB])
      await eventually(
        'the DMQ cluster forms',
        () => k.rpc<unknown>('dmq.list_nodes'),
        (n) => (JSON.stringify(n).match(/"status":\s*"active"/g) ?? []).length >= 2
      )
  }

  it('takes a call abroad that ended on one node off the credit of the next on the other, before the rating', async () => {
    await clusterFormed()
    // 2 cents: one minute to the UK (2 a minute).
    const caller = await credsOf()
    const ctx = svc.service.ctx
    const line = await ctx.db
      .selectFrom('lines')
      .select('account_id')
      .where('id', '=', caller.lineId)
      .executeTakeFirstOrThrow()
    await postEntry(ctx, line.account_id, 'top_up', 2, `cluster-credit-${Date.now()}`, {
      code: 'other',
      params: {},
      text: 'test credit'
    })
    // A call of a second through A: the minute spent, not rated yet (nothing rates here).
    await callThrough(planA.wsUrl, caller, '011442071234567', 1200)
    // B was told by A (htable's replication over DMQ): the next call through B finds nothing to pay with.
    await eventually(
      'B holds the ended call',
      () => kamB.rpc<unknown>('htable.dump', ['credit_ended']),
      (x) => JSON.stringify(x).includes(line.account_id),
      5000
    )
    await expect(callThrough(planB.wsUrl, caller, '011442071234567')).rejects.toThrow(/402/)
  }, 60_000)

  it('copies a flood ban made on one node to the other, and its lifting (dialtone-ops sip unban)', async () => {
    await clusterFormed()
    const flooder = await rawSipWs(planA.wsUrl, undefined, { localAddress: '127.0.0.6' })
    try {
      for (let i = 0; i < 15; i++) sendOptions(flooder)
      const bans = (k: KamailioInstance) => async () =>
        JSON.stringify(await k.rpc<unknown>('htable.dump', ['flood_ban']))
      await eventually('B holds the ban A made', bans(kamB), (x) => x.includes('127.0.0.6'), 5000)
      await kamA!.rpc<unknown>('htable.delete', ['flood_ban', '127.0.0.6'])
      await eventually('B lets the address in too', bans(kamB), (x) => !x.includes('127.0.0.6'), 5000)
    } finally {
      flooder.close()
    }
  })

  it('delivers a call sent to B to a line registered on A, and keeps the line through A stopping', async () => {
    // Both nodes know each other before anything registers.
    await clusterFormed()
    const callee = await credsOf()
    const caller = await credsOf()
    // The service hands out both servers, and the first one (by priority) as the single URL older apps use.
    expect(callee.websocketUrl).toBe(planA.wsUrl)
    expect(callee.servers).toEqual([
      { websocketUrl: planB.wsUrl, priority: 20, weight: 0 },
      { websocketUrl: planA.wsUrl, priority: 10, weight: 0 }
    ])

    const app = appLine(callee)
    await app.sip.start()
    await eventually(
      'the line registers',
      async () => app.sip.status.state,
      (s) => s === 'registered'
    )
    expect(app.sip.serverUrl).toBe(planA.wsUrl)
    // A remembers the ha1 the REGISTER was checked against, for the line's refreshes (register-cache.cfg: keyed by
    // the username's MD5).
    const key = createHash('md5').update(callee.username).digest('hex')
    const remembered = await kamA!.rpc<unknown>('htable.get', ['creds', key])
    expect(JSON.stringify(remembered)).toMatch(/[0-9a-f]{32}/)
    // B learnt the registration from A, with the Path back to A.
    const onB = await eventually(
      'B holds the line registered on A',
      () => kamB.rpc<unknown>('ul.lookup', ['location', callee.username]),
      (x) =>
        JSON.stringify(x).includes(String(planA.wsPort)) || JSON.stringify(x).includes(String(planA.sipPort))
    )
    expect(JSON.stringify(onB)).toMatch(/Path/i)

    await callThrough(planB.wsUrl, caller, callee.username)
    expect(app.answered).toHaveLength(1)
    await eventually(
      'the callee sees the hang-up',
      async () => app.answered[0]!.state,
      (s) => s === SessionState.Terminated
    )

    // A goes away: the line moves to B by itself, within its back-off bound.
    const stoppedAt = Date.now()
    await kamA!.stop()
    kamA = null
    await eventually(
      'the line re-registers on B',
      async () => app.statuses.at(-1),
      (s) => s?.status.state === 'registered' && s.server === planB.wsUrl,
      10_000
    )
    const lost = app.statuses.find((s) => s.at >= stoppedAt && s.status.state === 'unregistered')
    expect(lost?.status.problem).toBe('serverUnreachable')
    const retryInMs = Date.parse(lost!.status.retryAt!) - lost!.at
    expect(retryInMs).toBeLessThanOrEqual(BACKOFF.initialMs * (1 + BACKOFF.jitter) + 5)

    // B holds the line once, on its own connection: the registration made on B took the place of the one copied
    // from A (the same +sip.instance and reg-id, RFC 5626 section 4.2), so B does not fork the next call toward A,
    // which is gone, before it reaches the line.
    const registered = JSON.stringify(await kamB.rpc<unknown>('ul.lookup', ['location', callee.username]))
    expect(registered.match(/"Ruid"/g), registered).toHaveLength(1)
    expect(registered).not.toContain(String(planA.sipPort))

    // No missed call after: the next call through B is answered.
    await callThrough(planB.wsUrl, caller, callee.username)
    expect(app.answered).toHaveLength(2)
  }, 60_000)
})
