/**
 * baresip as a carrier's endpoint for one number, for the three-party call tests: it listens on 127.0.0.1:port
 * without registering (Kamailio's dispatcher sends it INVITEs for its number; its own calls go straight to
 * Kamailio from that port, which the carrier address table lets in), answers at once, sends a sine tone of its
 * own frequency, and dumps what it hears to a WAV file per call (the sndfile module; baresip 1.0's aufile
 * cannot play to a file). `heard(seconds)` measures the tail of that recording:
 * how much of the telephone band's power is at each asked frequency (Goertzel), so a test can say which of the
 * other parties' tones reached this one.
 *
 * baresip answers OPTIONS only for a URI with its user (a user-less probe gets 404), and Kamailio's dispatcher
 * probes gateways with user-less OPTIONS and passes over those that do not answer 2xx. So the gateway's address
 * (`port`) is a small UDP front that answers the probes itself and forwards every other datagram to baresip
 * (`sipPort`) unchanged; baresip's replies go by their Via straight to Kamailio, and its Contact takes the
 * dialog's later requests there too.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { watchOutput } from './baresip'

export interface BaresipGateway {
  /** The gateway's address for the dispatcher (the probe-answering front). */
  readonly port: number
  /** baresip's own SIP port: where its calls to Kamailio come from (the carrier address table's entry). */
  readonly sipPort: number
  readonly output: () => string
  waitFor(re: RegExp, ms?: number, from?: number): Promise<string>
  command(line: string): void
  /** The share (0-1) of the last `seconds` of heard audio's power at each frequency (within +-25 Hz). */
  heard(freqs: readonly number[], seconds?: number): number[]
  stop(): Promise<void>
}

/** A 200 OK for an OPTIONS request, from its own headers. */
function optionsOk(request: string): string {
  const lines = request.split('\r\n')
  const keep = lines.filter((l) => /^(via|from|to|call-id|cseq)\s*:/i.test(l))
  const headers = keep.map((l) => (/^to\s*:/i.test(l) && !/;tag=/.test(l) ? `${l};tag=front` : l))
  return ['SIP/2.0 200 OK', ...headers, 'Content-Length: 0', '', ''].join('\r\n')
}

export async function startBaresipGateway(o: {
  readonly number: string
  readonly port: number
  readonly sipPort: number
  readonly toneHz: number
  /** Send every request through Kamailio (127.0.0.1:port): what a transferee's new INVITE needs. */
  readonly outboundPort?: number
  /** Register as a Dialtone line with these credentials (then the account is the line's, not the number's). */
  readonly line?: { readonly aor: string; readonly password: string }
}): Promise<BaresipGateway> {
  if (!existsSync('/usr/bin/baresip'))
    throw new Error('baresip is not installed (scripts/setup.sh installs it)')
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bgw-'))
  /** The newest call's dump of what this party heard. */
  const heardFile = (): string | null => {
    const dumps = readdirSync(dir)
      .filter((f) => f.endsWith('-dec.wav'))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    return dumps.at(-1) ?? null
  }
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${o.sipPort}`,
      'module_path /usr/lib/baresip/modules',
      'module stdio.so',
      'module g711.so',
      'module ausine.so',
      'module aufile.so',
      // Dumps each call's decoded audio (what this party hears) to snd_path as dump-<peer>-<time>-dec.wav.
      'module sndfile.so',
      `snd_path ${dir}`,
      'module_app account.so',
      'module_app menu.so',
      `audio_source ausine,${o.toneHz}`,
      'ausrc_srate 48000',
      'auplay_srate 48000',
      'ausrc_channels 2',
      'auplay_channels 2',
      'audio_player aufile,/dev/null',
      'audio_alert aufile,/dev/null',
      'rtp_ports 43000-43999',
      ''
    ].join('\n')
  )
  const outbound = o.outboundPort ? `;outbound="sip:127.0.0.1:${o.outboundPort};transport=udp"` : ''
  const account = o.line
    ? `<sip:${o.line.aor}>;auth_pass=${o.line.password};regint=300`
    : `<sip:${o.number}@127.0.0.1>;regint=0`
  writeFileSync(join(dir, 'accounts'), `${account}${outbound};audio_codecs=PCMU;answermode=auto\n`)
  writeFileSync(join(dir, 'contacts'), '')
  const child: ChildProcess = spawn('stdbuf', ['-oL', '-eL', 'baresip', '-4', '-f', dir], {
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const watch = watchOutput(child, `baresip ${o.number}`)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const front = createSocket('udp4')
  front.on('message', (msg, from) => {
    const text = msg.toString('latin1')
    if (text.startsWith('OPTIONS ')) front.send(optionsOk(text), from.port, from.address)
    else front.send(msg, o.sipPort, '127.0.0.1')
  })
  await new Promise<void>((resolve) => front.bind(o.port, '127.0.0.1', resolve))
  const gw: BaresipGateway = {
    port: o.port,
    sipPort: o.sipPort,
    output: watch.output,
    waitFor: watch.waitFor,
    command(line) {
      child.stdin?.write(`${line}\n`)
    },
    heard(freqs, seconds = 1) {
      const file = heardFile()
      if (!file) return freqs.map(() => 0)
      return bandShares(readFileSync(file), freqs, seconds)
    },
    async stop() {
      front.close()
      child.stdin?.write('/quit\n')
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000)
      await exited
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
    }
  }
  await gw.waitFor(/baresip is ready/)
  return gw
}

/** The first channel of a 16-bit PCM WAV still being written (its header's sizes may not be final yet). */
function tailSamples(wav: Buffer, seconds: number): { samples: Float64Array; rate: number } {
  let at = 12
  let rate = 48000
  let channels = 1
  while (at + 8 <= wav.length) {
    const id = wav.toString('ascii', at, at + 4)
    const size = wav.readUInt32LE(at + 4)
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(at + 10)
      rate = wav.readUInt32LE(at + 12)
    }
    if (id === 'data') break
    at += 8 + size
  }
  const start = at + 8
  const frame = 2 * channels
  const frames = Math.floor((wav.length - start) / frame)
  const take = Math.min(frames, Math.round(rate * seconds))
  const samples = new Float64Array(take)
  for (let i = 0; i < take; i++) samples[i] = wav.readInt16LE(start + (frames - take + i) * frame)
  return { samples, rate }
}

/** Goertzel power at f, and the share of 300-3400 Hz power within +-25 Hz of each asked frequency. */
export function bandShares(wav: Buffer, freqs: readonly number[], seconds: number): number[] {
  const { samples, rate } = tailSamples(wav, seconds)
  if (samples.length === 0) return freqs.map(() => 0)
  const power = (f: number): number => {
    const w = (2 * Math.PI * f) / rate
    const c = 2 * Math.cos(w)
    let s1 = 0
    let s2 = 0
    for (const x of samples) {
      const s0 = x + c * s1 - s2
      s2 = s1
      s1 = s0
    }
    return s1 * s1 + s2 * s2 - c * s1 * s2
  }
  // 5 Hz steps over the band: the whole band's power, and each asked frequency's neighbourhood.
  const grid: number[] = []
  for (let f = 300; f <= 3400; f += 5) grid.push(f)
  const p = grid.map(power)
  const total = p.reduce((a, b) => a + b, 0) || 1
  return freqs.map(
    (f) => p.filter((_, i) => Math.abs((grid[i] ?? 0) - f) <= 25).reduce((a, b) => a + b, 0) / total
  )
}
