/**
 * The voicemail server (issue 23), built from packaged parts: baresip processes answer, play and record the calls
 * (one call each, DIALTONE_VOICEMAIL_LINES of them), espeak-ng and sox make the prompts, the service's database
 * keeps the messages; this module only supervises: it starts the slots and the SIP front, hands each call to its
 * flow (./call-flows.ts), and turns box changes into message-waiting NOTIFYs (./mwi.ts). A slot whose baresip
 * dies is started again.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { udpPortFree } from '../port-check'
import { join } from 'node:path'
import type { ServiceContext } from '../context'
import { BaresipSlot } from './baresip-slot'
import { CallRunner, type CallSession } from './call-flows'
import { onVoicemailChanged } from './changes'
import type { VoicemailConfig } from './config'
import { MwiNotifier } from './mwi'
import { Prompts } from './prompts'
import { SipFront } from './sip-front'
import { param, header } from './sip-message'
import { boxOfLine, findBox, purgeOld, usage } from './store'

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
  rmSync(join(workDir, 'lines'), { recursive: true, force: true })
  mkdirSync(workDir, { recursive: true })
  const prompts = new Prompts(join(workDir, 'prompts'))
  await prompts.make()
  const log = (m: string): void => ctx.log.info(m)

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
  for (const slot of slots) {
    slot.on('event', (e: { type: string; id?: string }) => {
      if (e.type !== 'CALL_INCOMING' || !e.id) return
      const session = sessions.get(e.id)
      if (!session || slot.callId !== e.id) {
        slot.command('hangup').catch(() => undefined) // not routed by the front: nobody's call
        return
      }
      running.add(e.id)
      const runner = new CallRunner(ctx, slot, prompts, session, () => {
        running.delete(session.callId)
        sessions.delete(session.callId)
        front.release(slot)
      })
      void runner.run().catch((err: unknown) => {
        ctx.log.error(`voicemail: a call failed: ${String(err)}`)
        slot.command('hangup').catch(() => undefined)
      })
    })
    // The slot restarts itself (baresip-slot.ts); its call, if any, is over.
    slot.on('exit', () => front.release(slot))
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
      off()
      mwi?.close()
      await front.stop()
      await Promise.all(slots.map((s) => s.stop()))
    }
  }
}
