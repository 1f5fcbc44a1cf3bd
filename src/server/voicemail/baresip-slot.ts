/**
 * One baresip 1.0 process as one voicemail line ("slot"): it answers one call at a time on its own UDP port, plays
 * whatever WAV file it is told (aufile), records the caller's audio of each call to a WAV file (sndfile), and is
 * driven over ctrl_tcp (JSON in netstrings): commands `accept`, `hangup`, `ausrc aufile,<file>`; events
 * CALL_INCOMING, CALL_ESTABLISHED, CALL_DTMF_START, CALL_CLOSED, each with the SIP Call-ID as `id`. baresip is
 * bound to 127.0.0.1 (its SDP too), so media never leaves loopback/the private network Kamailio reaches it on.
 *
 * Its SIP and control ports are chosen at each start (SlotOptions.ports), not once: a port found free can be taken
 * by anyone before baresip binds it. A taken SIP port makes baresip exit (98, address in use); a taken control port
 * does not (baresip logs it and runs on, deaf), and a connection there reaches the other program. So a start counts
 * only once baresip itself has answered a command on the control connection; an attempt that does not get there
 * within CONTROL_WAIT_MS kills that baresip and tries fresh ports, START_ATTEMPTS times in all. A slot is `running`
 * from that answer until its baresip exits; the front gives calls only to running slots. After a crash the slot
 * restarts itself, waiting RESTART_FIRST_MS and doubling up to RESTART_MAX_MS while restarts keep failing or crashing
 * soon (a baresip that dies on every call is not respawned in a tight loop); STEADY_MS up resets the wait. stop()
 * ends everything, a start or a pending restart included, and leaves no baresip behind.
 *
 * baresip is started through util-linux's `setpriv --pdeathsig SIGKILL` (Linux's parent-death signal), so a service
 * that dies without stopping (a crash, SIGKILL, the OOM killer) takes its baresips with it at once: each recording
 * stops where the call was, the next start keeps its message (./recovery.ts), and no baresip is left holding a
 * caller and recording into a folder the next start removes (what happened before). SIGKILL, not SIGTERM: baresip
 * 1.0 stops its calls from inside its signal handler, and with a call up that was seen to crash or hang it about
 * one time in four; the caller gets no BYE either way after a crash (a stop hangs up properly). Whether setpriv is
 * there and knows --pdeathsig (its --help says so) is checked once; where it is missing or too old baresip is started
 * directly, as before, and the server's start logs a warning saying what a crash then costs (findSetpriv).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { EventEmitter } from 'node:events'
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { type Socket, connect } from 'node:net'
import { join } from 'node:path'

export interface BaresipEvent {
  readonly type: string
  readonly id?: string
  readonly param?: string
  readonly peeruri?: string
}

/** A start whose baresip does not answer on its control connection tries fresh ports this many times in all. */
const START_ATTEMPTS = 3
/** How long one attempt may take from spawn to baresip's first answer. */
const CONTROL_WAIT_MS = 10_000
const RESTART_FIRST_MS = 500
const RESTART_MAX_MS = 30_000
/** Up this long, a crash is not "soon": the next restart waits RESTART_FIRST_MS again. */
const STEADY_MS = 60_000
/** A netstring's length: digits only, and bounded (baresip's messages are small). */
const NETSTRING_LENGTH = /^\d{1,7}$/
/** Where util-linux's setpriv is looked for (see the header); Debian has it in util-linux. */
const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv'] as const

export interface Setpriv {
  /** The setpriv that sets baresip's parent-death signal, or null: baresip is started directly. */
  readonly path: string | null
  /** Why there is none, as the warning the server's start logs; null when there is one. */
  readonly problem: string | null
}

/** A setpriv among `candidates` that knows --pdeathsig (see the header); runs its --help, so check once. */
export function findSetpriv(candidates: readonly string[] = SETPRIV_PATHS): Setpriv {
  const cost =
    'voicemail lines run baresip without a parent-death signal: if the service crashes, their baresips keep ' +
    'the callers and record into folders the next start removes, and the messages being recorded are lost'
  const path = candidates.find((p) => existsSync(p))
  if (!path)
    return { path: null, problem: `setpriv not found (${candidates.join(', ')}; util-linux): ${cost}` }
  // Its help, wherever it prints it and however it exits.
  const r = spawnSync(path, ['--help'], {
    encoding: 'utf8',
    timeout: 5000,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const help = `${r.stdout ?? ''}${r.stderr ?? ''}`
  if (!help.includes('--pdeathsig'))
    return { path: null, problem: `${path} does not support --pdeathsig (an older util-linux): ${cost}` }
  return { path, problem: null }
}

let detected: Setpriv | null = null

/** This machine's setpriv (findSetpriv), checked on first use. */
export function detectedSetpriv(): Setpriv {
  detected ??= findSetpriv()
  return detected
}

/**
 * The caller's audio of the last call recorded in that folder (sndfile's `-dec.wav`), or null (none, no folder).
 * Only a regular file is a recording: anything else so named (a FIFO would block whoever opened it) is passed over.
 */
export function lastRecordingIn(recordDir: string): string | null {
  let files: string[]
  try {
    files = readdirSync(recordDir)
  } catch {
    return null
  }
  const regular = (f: string): boolean => {
    try {
      return lstatSync(join(recordDir, f)).isFile()
    } catch {
      return false
    }
  }
  const last = files
    .filter((f) => f.endsWith('-dec.wav') && regular(f))
    .sort()
    .at(-1)
  return last ? join(recordDir, last) : null
}

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
  /** The setpriv baresip is started through, or null for none; by default this machine's (detectedSetpriv()). */
  readonly setpriv?: string | null
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
  private live = false
  private liveSince = 0
  private restartDelayMs = RESTART_FIRST_MS
  private restartTimer: NodeJS.Timeout | null = null

  constructor(readonly o: SlotOptions) {
    super()
  }

  /** The port baresip listens on for SIP since its last start (0 before the first). */
  get sipPort(): number {
    return this.ports?.sip ?? 0
  }

  /** Its baresip answered on the control connection and has not exited since: calls may be given to it. */
  get running(): boolean {
    return this.live
  }

  get recordDir(): string {
    return join(this.o.dir, 'rec')
  }

  /**
   * Starts baresip and waits for its first answer on the control connection, trying fresh ports when an attempt
   * does not get there; throws after START_ATTEMPTS, naming the line and its log. Resolves without a baresip when
   * stop() came first.
   */
  async start(): Promise<void> {
    mkdirSync(this.recordDir, { recursive: true })
    for (let attempt = 1; ; attempt++) {
      const ports = await this.o.ports()
      if (this.stopped) return
      if (await this.launch(ports)) return
      if (this.stopped) return
      if (attempt === START_ATTEMPTS)
        throw new Error(
          `voicemail line ${this.o.index}: baresip did not answer on its control port, ${attempt} times (its log: ${join(this.o.dir, 'baresip.log')})`
        )
      this.o.log(
        `voicemail line ${this.o.index}: baresip did not answer on SIP port ${ports.sip} / control port ${ports.ctrl} (taken?); trying other ports`
      )
    }
  }

  /** One baresip on these ports: true once it answered a command; else it is stopped and false. */
  private async launch(ports: SlotPorts): Promise<boolean> {
    this.writeConfig(ports)
    // baresip's own log (calls, media, errors) next to its config, for whoever runs the server.
    const logFd = openSync(join(this.o.dir, 'baresip.log'), 'a')
    const args = ['baresip', '-4', '-f', this.o.dir]
    const launcher = this.o.setpriv === undefined ? detectedSetpriv().path : this.o.setpriv
    const child = launcher
      ? spawn(launcher, ['--pdeathsig', 'SIGKILL', ...args], { stdio: ['ignore', logFd, logFd] })
      : spawn('baresip', args.slice(1), { stdio: ['ignore', logFd, logFd] })
    closeSync(logFd)
    this.child = child
    let exited = false
    const gone = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exited = true
        const current = this.child === child
        if (current) this.child = null
        resolve()
        if (current && this.live && !this.stopped) this.crashed(code)
      })
    )
    const giveUp = async (): Promise<false> => {
      this.closeControl()
      if (!exited) child.kill('SIGKILL')
      await gone
      return false
    }
    const deadline = Date.now() + CONTROL_WAIT_MS
    while (!exited && !this.stopped && Date.now() < deadline) {
      const socket = await new Promise<Socket | null>((resolve) => {
        const s = connect(ports.ctrl, '127.0.0.1', () => resolve(s))
        s.once('error', () => resolve(null))
      })
      if (!socket) {
        await new Promise((r) => setTimeout(r, 50))
        continue
      }
      this.buffer = Buffer.alloc(0)
      this.socket = socket
      socket.on('data', (d: Buffer) => this.take(d))
      socket.on('error', (err) => this.o.log(`voicemail line ${this.o.index}: control: ${err.message}`))
      // Only baresip answers its own command: another program on that port does not (or not in netstrings).
      const hello = await this.command('reginfo')
      if (!hello.ok || exited || this.stopped) return giveUp()
      this.ports = ports
      this.live = true
      this.liveSince = Date.now()
      return true
    }
    return giveUp()
  }

  private writeConfig(ports: SlotPorts): void {
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
  }

  /** Closes the control connection; commands waiting on it are answered "not connected" at once. */
  private closeControl(): void {
    this.socket?.destroy()
    this.socket = null
    this.buffer = Buffer.alloc(0)
    for (const answer of this.pending.values()) answer({ ok: false, data: 'not connected' })
    this.pending.clear()
  }

  /** A running baresip exited by itself: say so, and restart after the current wait. */
  private crashed(code: number | null): void {
    this.live = false
    this.closeControl()
    this.o.log(`voicemail line ${this.o.index} (baresip) stopped (exit ${String(code)})`)
    if (Date.now() - this.liveSince >= STEADY_MS) this.restartDelayMs = RESTART_FIRST_MS
    this.emit('exit')
    this.restartLater()
  }

  private restartLater(): void {
    if (this.stopped) return
    const wait = this.restartDelayMs
    this.restartDelayMs = Math.min(wait * 2, RESTART_MAX_MS)
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null
      this.start().catch((err: unknown) => {
        this.o.log(
          `${err instanceof Error ? err.message : String(err)}; trying again in ${this.restartDelayMs} ms`
        )
        this.restartLater()
      })
    }, wait)
  }

  private take(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d])
    for (;;) {
      const colon = this.buffer.indexOf(0x3a)
      if (colon < 0) {
        if (this.buffer.length > 8) this.notNetstrings()
        return
      }
      const length = this.buffer.subarray(0, colon).toString()
      if (!NETSTRING_LENGTH.test(length)) return this.notNetstrings()
      const n = Number(length)
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
    return lastRecordingIn(this.recordDir)
  }

  clearRecordings(): void {
    for (const f of readdirSync(this.recordDir)) rmSync(join(this.recordDir, f), { force: true })
  }

  /** What came on the control connection is not baresip's netstrings: stop reading it (the start gives up on it). */
  private notNetstrings(): void {
    this.o.log(`voicemail line ${this.o.index}: the control connection does not speak baresip's netstrings`)
    this.closeControl()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.live = false
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.restartTimer = null
    this.closeControl()
    const child = this.child
    if (!child) return
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    child.kill('SIGTERM')
    const t = setTimeout(() => child.kill('SIGKILL'), 2000)
    await exited
    clearTimeout(t)
  }
}
