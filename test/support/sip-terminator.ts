/**
 * The lines' door for a test: the real HAProxy with the shipped resources/haproxy/sip-wss.cfg in front of a
 * Kamailio's WebSocket port, ending TLS with a certificate made for the test (openssl; Node cannot write one). Its
 * URL is wss://127.0.0.1:<port> (or on IPv6 loopback); a client accepts the certificate with
 * `rejectUnauthorized: false`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { HAPROXY_BIN } from '../../scripts/lib/haproxy'
import { freePort } from './free-port'

export interface SipTerminator {
  readonly url: string
  output(): string
  stop(): Promise<void>
}

/** A self-signed certificate and its key, in the one PEM file HAProxy's `crt` reads. */
function testCertificate(dir: string): string {
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1'
  ]
  execFileSync('openssl', [...args, '-subj', '/CN=sip.dialtone.test', '-keyout', key, '-out', cert], {
    stdio: 'ignore'
  })
  const pem = join(dir, 'sip.pem')
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'))
  return pem
}

const listening = (host: string, port: number): Promise<boolean> =>
  new Promise((done) => {
    const s = connect(port, host)
    s.once('connect', () => {
      s.destroy()
      done(true)
    })
    s.once('error', () => done(false))
  })

export async function startSipTerminator(opts: {
  /** Kamailio's WebSocket port on 127.0.0.1. */
  kamailioWsPort: number
  /** The address it listens on (127.0.0.1 unless said; '::1' for IPv6 clients). */
  host?: string
  connsPerAddress?: number
  newConnsPerAddress?: number
}): Promise<SipTerminator> {
  // A missing HAProxy fails the suite (scripts/setup.sh installs it); it never skips.
  if (!existsSync(HAPROXY_BIN)) throw new Error(`${HAPROXY_BIN} is missing (apt haproxy; scripts/setup.sh)`)
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-wss-'))
  const port = await freePort()
  const host = opts.host ?? '127.0.0.1'
  const hostInUrl = host.includes(':') ? `[${host}]` : host
  let log = ''
  const proc: ChildProcess = spawn(HAPROXY_BIN, ['-db', '-f', resolve('resources/haproxy/sip-wss.cfg')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SIP_WSS_BIND: `${hostInUrl}:${port}`,
      SIP_WSS_CERT: testCertificate(dir),
      KAMAILIO_WS: `127.0.0.1:${opts.kamailioWsPort}`,
      ...(opts.connsPerAddress ? { SIP_WSS_CONNS_PER_ADDRESS: String(opts.connsPerAddress) } : {}),
      ...(opts.newConnsPerAddress ? { SIP_WSS_NEW_CONNS_PER_ADDRESS: String(opts.newConnsPerAddress) } : {})
    }
  })
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const exited = new Promise<void>((done) => proc.once('exit', () => done()))
  const deadline = Date.now() + 10_000
  while (!(await listening(host, port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`HAProxy (sip-wss.cfg) did not start: ${log}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url: `wss://${hostInUrl}:${port}`,
    output: () => log,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
