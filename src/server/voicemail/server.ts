/**
 * The voicemail server (issue 23), built from packaged parts: baresip processes answer, play and record the calls
 * (one call each, DIALTONE_VOICEMAIL_LINES of them), espeak-ng and sox make the prompts, the service's database
 * keeps the messages; this module only supervises: it starts the slots and the SIP front, hands each call to its
 * flow (./call-flows.ts), and turns box changes into message-waiting NOTIFYs (./mwi.ts). A slot whose baresip
 * dies is started again; its call ends there, and the message it was recording is kept.
 *
 * Stopping ends every call first, as if its caller had hung up then (a message being recorded is kept), waiting at
 * most STOP_CALLS_MS, and only then closes baresip's control connections and stops the lines. Starting first keeps
 * what a crash (or a stop that ran out of time) left in the lines' folders (./recovery.ts), then removes them; it
 * warns when baresip cannot be made to die with the service (no setpriv with --pdeathsig: ./baresip-slot.ts).
 */
import { mkdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { udpPortFree } from '../port-check'
import { join } from 'node:path'
import type { ServiceContext } from '../context'
import { BaresipSlot, detectedSetpriv } from './baresip-slot'
import { CallRunner, type CallSession } from './call-flows'
import { onVoicemailChanged } from './changes'
import type { VoicemailConfig } from './config'
import { MwiNotifier } from './mwi'
import { Prompts } from './prompts'
import { recoverLeftovers } from './recovery'
import { SipFront } from './sip-front'
import { param, header } from './sip-message'
import { boxOfLine, findBox, purgeOld, usage } from './store'

/** How long a stop waits for the calls it ends to be finished (their messages kept) before it stops the lines. */
const STOP_CALLS_MS = 5000

export interface VoicemailServer {
  readonly uri: string
  stop(): Promise<void>
}

async function freeTcpPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const a = s.address()
  await new Promise((r) => s.close(r))
  return typeof a === 'object' && a ? a.port : 0
}

/**
 * A port free for both TCP and UDP: baresip's sip_listen binds both. The system's pick for a TCP listen(0) comes
 * from the ephemeral range, where media relays (rtpengine) hold UDP ports; a TCP-only check let a line start on a
 * port whose UDP was taken, and baresip exited (98, address in use) on every restart (CI, two stacks side by side).
 */
async function freeSipPort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = await freeTcpPort()
    if (port > 0 && (await udpPortFree(port))) return port
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1 after 50 tries')
}

export async function startVoicemail(
  ctx: ServiceContext,
  config: VoicemailConfig,
  workDir: string
): Promise<VoicemailServer> {
  await recoverLeftovers(ctx, join(workDir, 'lines'))
  rmSync(join(workDir, 'lines'), { recursive: true, force: true })
  mkdirSync(workDir, { recursive: true })
  const prompts = new Prompts(join(workDir, 'prompts'))
  await prompts.make()
  const log = (m: string): void => ctx.log.info(m)
  // baresip dies with the service only through setpriv (./baresip-slot.ts); without it the lines still run.
  const setpriv = detectedSetpriv()
  if (setpriv.problem) ctx.log.warn(`voicemail: ${setpriv.problem}`)

  const slots: BaresipSlot[] = []
  for (let i = 0; i < config.lines; i++) {
    const dir = join(workDir, 'lines', String(i))
    mkdirSync(dir, { recursive: true })
    const base = config.rtpPort + i * 20
    slots.push(
      new BaresipSlot({
        index: i,
        dir,
        ports: async () => ({ sip: await freeSipPort(), ctrl: await freeTcpPort() }),
        rtpPorts: [base, base + 19],
        idleSource: prompts.file('silence'),
        log
      })
    )
  }
  const sessions = new Map<string, CallSession>()
  let mwi: MwiNotifier | null = null
  const front = new SipFront({
    host: config.host,
    port: config.port,
    trusted: config.trusted,
    slots,
    log,
    onSession: (s, slot) => {
      sessions.set(s.callId, s)
      // baresip must see the INVITE within a few seconds, else the slot is free again.
      setTimeout(() => {
        if (sessions.has(s.callId) && slot.callId === s.callId && !running.has(s.callId)) {
          sessions.delete(s.callId)
          front.release(slot)
        }
      }, 5000).unref()
    },
    onSubscribe: (req, from) => {
      mwi
        ?.onSubscribe(req, from)
        .catch((err: unknown) => ctx.log.error(`voicemail: SUBSCRIBE: ${String(err)}`))
    },
    onNotifyResponse: (res) => {
      const branch = param(header(res, 'Via') ?? '', 'branch')
      if (branch) mwi?.answered(branch)
      mwi?.onNotifyResponse(res)
    }
  })
  const running = new Set<string>()
  /** The call each slot is running. */
  const runners = new Map<BaresipSlot, CallRunner>()
  let stopping = false
  for (const slot of slots) {
    slot.on('event', (e: { type: string; id?: string }) => {
      if (e.type !== 'CALL_INCOMING' || !e.id) return
      const session = sessions.get(e.id)
      if (!session || slot.callId !== e.id || stopping) {
        slot.command('hangup').catch(() => undefined) // not routed by the front (nobody's call), or too late
        return
      }
      running.add(e.id)
      const runner: CallRunner = new CallRunner(ctx, slot, prompts, session, () => {
        if (runners.get(slot) === runner) runners.delete(slot)
        running.delete(session.callId)
        sessions.delete(session.callId)
        // Unless the slot already took another call (its baresip died and came back meanwhile).
        if (slot.callId === session.callId) front.release(slot)
      })
      runners.set(slot, runner)
      void runner.run().catch((err: unknown) => {
        ctx.log.error(`voicemail: a call failed: ${String(err)}`)
        slot.command('hangup').catch(() => undefined)
      })
    })
    // Its baresip died: the call is over, as if its caller had hung up then (a message being recorded is kept,
    // from the recording as far as it got); the slot restarts itself (baresip-slot.ts).
    slot.on('exit', () => {
      const runner = runners.get(slot)
      if (runner) runner.close()
      else front.release(slot)
    })
  }
  await Promise.all(slots.map((s) => s.start()))
  await front.start()
  mwi = new MwiNotifier(
    front.udp,
    { host: config.host, port: config.port },
    ctx.config.sip.domain,
    async (box) => {
      const b = await findBox(ctx, box)
      if (!b) return null
      await purgeOld(ctx, b.lineId)
      const u = await usage(ctx, b.lineId)
      return { unheard: u.unheard, heard: u.count - u.unheard }
    },
    log
  )
  const off = onVoicemailChanged(ctx, (lineId) => {
    void boxOfLine(ctx, lineId)
      .then((box) => (box ? mwi?.changed(box) : undefined))
      .catch((err: unknown) => ctx.log.error(`voicemail: message waiting: ${String(err)}`))
  })
  log(`voicemail server on sip:${config.host}:${config.port} with ${config.lines} lines`)
  return {
    uri: `sip:${config.host}:${config.port}`,
    async stop() {
      stopping = true
      await Promise.all([...runners.values()].map((r) => r.end(STOP_CALLS_MS)))
      off()
      mwi?.close()
      await front.stop()
      await Promise.all(slots.map((s) => s.stop()))
    }
  }
}
