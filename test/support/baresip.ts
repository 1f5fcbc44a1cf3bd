/**
 * baresip 1.0 as an independent SIP peer over UDP: its own config folder (no sound card: a sine source and a
 * file sink), one account registered with Kamailio, commands on stdin (the stdio + menu modules), output read
 * line by line (`stdbuf` because baresip block-buffers a pipe). In a loopback-only namespace it refuses to
 * register without some non-loopback address; scripts/netns.mjs gives the namespace a dead-end veth for it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './postgres'

export interface BaresipAccount {
  /** user@domain */
  readonly aor: string
  readonly password: string
  readonly proxyPort: number
  /** Answer incoming calls at once. */
  readonly autoAnswer?: boolean
}

export interface Baresip {
  /** performance.now() when the process was spawned (for start -> registered). */
  readonly startedAt: number
  readonly output: () => string
  /** Resolves with the first output line (after `from`) matching re. */
  waitFor(re: RegExp, ms?: number, from?: number): Promise<string>
  command(line: string): void
  stop(): Promise<void>
}

export async function startBaresip(a: BaresipAccount): Promise<Baresip> {
  if (!existsSync('/usr/bin/baresip'))
    throw new Error('baresip is not installed (apt-get install baresip); scripts/setup.sh installs it')
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-baresip-'))
  const port = await freePort()
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${port}`,
      'dns_server 127.0.0.1:53',
      'module_path /usr/lib/baresip/modules',
      'module stdio.so',
      'module g711.so',
      'module ausine.so',
      'module aufile.so',
      'module_app account.so',
      'module_app menu.so',
      'audio_source ausine,440',
      // ausine generates 48 kHz stereo only; baresip resamples to the codec's 8 kHz.
      'ausrc_srate 48000',
      'auplay_srate 48000',
      'ausrc_channels 2',
      'auplay_channels 2',
      `audio_player aufile,${join(dir, 'heard.wav')}`,
      'audio_alert aufile,/dev/null',
      'rtp_ports 42000-42999',
      ''
    ].join('\n')
  )
  const answer = a.autoAnswer ? ';answermode=auto' : ''
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${a.aor}>;auth_pass=${a.password};outbound="sip:127.0.0.1:${a.proxyPort};transport=udp";regint=300;audio_codecs=PCMU${answer}\n`
  )
  writeFileSync(join(dir, 'contacts'), '')
  const startedAt = performance.now()
  const child: ChildProcess = spawn('stdbuf', ['-oL', '-eL', 'baresip', '-4', '-f', dir], {
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const watch = watchOutput(child, 'baresip')
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    startedAt,
    output: watch.output,
    waitFor: watch.waitFor,
    command(line) {
      child.stdin?.write(`${line}\n`)
    },
    async stop() {
      child.stdin?.write('/quit\n')
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000)
      await exited
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** What a baresip process prints, and a wait for the first line (from an offset) that matches. */
export interface OutputWatch {
  readonly output: () => string
  waitFor(re: RegExp, ms?: number, from?: number): Promise<string>
}

/** Collects a child's stdout and stderr; `label` names it in the error of a wait that timed out. */
export function watchOutput(child: ChildProcess, label: string): OutputWatch {
  let out = ''
  const waiters = new Set<() => void>()
  const take = (d: Buffer): void => {
    out += d.toString()
    for (const w of waiters) w()
  }
  child.stdout?.on('data', take)
  child.stderr?.on('data', take)
  return {
    output: () => out,
    waitFor(re, ms = 8000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = out
            .slice(from)
            .split('\n')
            .find((l) => re.test(l))
          if (line === undefined) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(line)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`${label} did not print ${re} in ${ms} ms; output:\n${out.slice(-2000)}`))
        }, ms)
        waiters.add(check)
        check()
      })
    }
  }
}
