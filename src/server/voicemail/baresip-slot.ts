/**
 * One baresip 1.0 process as one voicemail line ("slot"): it answers one call at a time on its own UDP port, plays
 * whatever WAV file it is told (aufile), records the caller's audio of each call to a WAV file (sndfile), and is
 * driven over ctrl_tcp (JSON in netstrings): commands `accept`, `hangup`, `ausrc aufile,<file>`; events
 * CALL_INCOMING, CALL_ESTABLISHED, CALL_DTMF_START, CALL_CLOSED, each with the SIP Call-ID as `id`. baresip is
 * bound to 127.0.0.1 (its SDP too), so media never leaves loopback/the private network Kamailio reaches it on.
 *
 * Its SIP and control ports are chosen at each start (SlotOptions.ports), not once: a port found free can be taken
 * by anyone before baresip binds it, and baresip then exits (98, address in use). A start whose baresip exits
 * before its control socket answers tries fresh ports, up to START_ATTEMPTS times; a restart after a crash does the
 * same, so a line never keeps retrying a port someone else holds.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { type Socket, connect } from 'node:net'
import { join } from 'node:path'

export interface BaresipEvent {
  readonly type: string
  readonly id?: string
  readonly param?: string
  readonly peeruri?: string
}

/** A start whose baresip exits before answering on its control port tries fresh ports this many times in all. */
const START_ATTEMPTS = 3

export interface SlotPorts {
  /** baresip's sip_listen: free for both UDP and TCP. */
  readonly sip: number
  /** ctrl_tcp_listen. */
  readonly ctrl: number
}

export interface SlotOptions {
  readonly index: number
  readonly dir: string
  /** Chooses the SIP and control ports for each start (see the header). */
  readonly ports: () => Promise<SlotPorts>
  readonly rtpPorts: readonly [number, number]
  /** Played before the first command (a second of silence). */
  readonly idleSource: string
  readonly log: (m: string) => void
}

export class BaresipSlot extends EventEmitter {
  private child: ChildProcess | null = null
  private socket: Socket | null = null
  private buffer = Buffer.alloc(0)
  private token = 0
  private readonly pending = new Map<string, (r: { ok: boolean; data: string }) => void>()
  /** The Call-ID of the call this slot holds (from the front's INVITE), or null when free. */
  callId: string | null = null
  private stopped = false
  private ports: SlotPorts | null = null

  constructor(readonly o: SlotOptions) {
    super()
  }

  /** The port baresip listens on for SIP since its last start (0 before the first). */
  get sipPort(): number {
    return this.ports?.sip ?? 0
  }

  get recordDir(): string {
    return join(this.o.dir, 'rec')
  }

  /** Starts baresip and connects to its control port; after a crash (`exit`), starting again is the restart. */
  async start(): Promise<void> {
    mkdirSync(this.recordDir, { recursive: true })
    this.socket?.destroy() // a restart: the old control connection went with the old baresip
    this.socket = null
    for (let attempt = 1; ; attempt++) {
      const ports = await this.o.ports()
      const socket = await this.spawnOn(ports)
      if (socket) {
        this.ports = ports
        this.socket = socket
        socket.on('data', (d: Buffer) => this.take(d))
        socket.on('error', (err) => this.o.log(`voicemail line ${this.o.index}: control: ${err.message}`))
        return
      }
      if (attempt === START_ATTEMPTS || this.stopped)
        throw new Error(
          `voicemail line ${this.o.index}: baresip exited before answering on its control port, ${attempt} times (its log: ${join(this.o.dir, 'baresip.log')})`
        )
      this.o.log(
        `voicemail line ${this.o.index}: baresip exited on SIP port ${ports.sip} / control port ${ports.ctrl} (taken?); trying other ports`
      )
    }
  }

  /** One baresip on these ports: its control socket once it answers, or null when it exited first. */
  private async spawnOn(ports: SlotPorts): Promise<Socket | null> {
    writeFileSync(
      join(this.o.dir, 'config'),
      [
        'poll_method epoll',
        'net_interface 127.0.0.1',
        `sip_listen 127.0.0.1:${ports.sip}`,
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aufile.so',
        'module sndfile.so',
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${ports.ctrl}`,
        `snd_path ${this.recordDir}`,
        `audio_source aufile,${this.o.idleSource}`,
        `audio_player aufile,${join(this.o.dir, 'played.wav')}`,
        'audio_alert aufile,/dev/null',
        `rtp_ports ${this.o.rtpPorts[0]}-${this.o.rtpPorts[1]}`,
        ''
      ].join('\n')
    )
    // One UA; the front rewrites every Request-URI to `vm`, so this is the only user baresip must know.
    writeFileSync(
      join(this.o.dir, 'accounts'),
      '<sip:vm@127.0.0.1>;regint=0;answermode=manual;audio_codecs=PCMU,PCMA;ptime=20\n'
    )
    writeFileSync(join(this.o.dir, 'contacts'), '')
    // baresip's own log (calls, media, errors) next to its config, for whoever runs the server.
    const logFd = openSync(join(this.o.dir, 'baresip.log'), 'a')
    const child = spawn('baresip', ['-4', '-f', this.o.dir], { stdio: ['ignore', logFd, logFd] })
    closeSync(logFd)
    this.child = child
    let ready = false
    let exited = false
    child.once('exit', (code) => {
      exited = true
      if (this.child === child) this.child = null
      // An exit before the control socket answered is the start's to handle (other ports); after it, a crash.
      if (ready && !this.stopped) {
        this.o.log(`voicemail line ${this.o.index} (baresip) stopped (exit ${String(code)})`)
        this.emit('exit')
      }
    })
    const deadline = Date.now() + 10_000
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(ports.ctrl, '127.0.0.1', () => resolve(s))
          s.once('error', reject)
        })
        if (exited) {
          socket.destroy() // someone else's listener on that port, not this baresip
          return null
        }
        ready = true
        return socket
      } catch (err) {
        if (exited) return null
        if (Date.now() > deadline) {
          child.kill('SIGKILL')
          throw err
        }
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  }

  private take(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d])
    for (;;) {
      const colon = this.buffer.indexOf(0x3a)
      if (colon < 0) return
      const n = Number(this.buffer.subarray(0, colon).toString())
      if (this.buffer.length < colon + 2 + n) return
      const json = this.buffer.subarray(colon + 1, colon + 1 + n).toString()
      this.buffer = this.buffer.subarray(colon + 2 + n)
      let msg: Record<string, unknown>
      try {
        msg = JSON.parse(json) as Record<string, unknown>
      } catch {
        continue
      }
      if (msg.response === true && typeof msg.token === 'string') {
        this.pending.get(msg.token)?.({ ok: msg.ok === true, data: String(msg.data ?? '') })
        this.pending.delete(msg.token)
      } else if (msg.event === true && typeof msg.type === 'string') {
        this.emit('event', {
          type: msg.type,
          ...(typeof msg.id === 'string' ? { id: msg.id } : {}),
          ...(typeof msg.param === 'string' ? { param: msg.param } : {}),
          ...(typeof msg.peeruri === 'string' ? { peeruri: msg.peeruri } : {})
        } satisfies BaresipEvent)
      }
    }
  }

  /** Runs a menu command; resolves with baresip's answer text (commands never throw inside baresip). */
  command(command: string, params?: string): Promise<{ ok: boolean; data: string }> {
    const socket = this.socket
    if (!socket) return Promise.resolve({ ok: false, data: 'not connected' })
    const token = String(++this.token)
    const json = JSON.stringify({ command, ...(params ? { params } : {}), token })
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(token)
        resolve({ ok: false, data: 'no answer' })
      }, 3000)
      this.pending.set(token, (r) => {
        clearTimeout(timer)
        resolve(r)
      })
      socket.write(`${Buffer.byteLength(json)}:${json},`)
    })
  }

  /** The caller's audio of the last call (sndfile's `-dec.wav`), or null. */
  lastRecording(): string | null {
    const files = readdirSync(this.recordDir)
      .filter((f) => f.endsWith('-dec.wav'))
      .sort()
    const last = files[files.length - 1]
    return last ? join(this.recordDir, last) : null
  }

  clearRecordings(): void {
    for (const f of readdirSync(this.recordDir)) rmSync(join(this.recordDir, f), { force: true })
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.socket?.destroy()
    const child = this.child
    if (!child) return
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    child.kill('SIGTERM')
    const t = setTimeout(() => child.kill('SIGKILL'), 2000)
    await exited
    clearTimeout(t)
  }
}
