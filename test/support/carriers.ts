/**
 * Simulated carriers as the carrier-call tests run them: sipp processes (scenarios from
 * scripts/lib/carrier-scenarios.ts) with their output and every SIP message they saw kept for assertions.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './postgres'
import {
  type GatewayBehaviour,
  type InboundCall,
  carrierCallArgs,
  carrierCallScenario,
  gatewayArgs,
  gatewayScenario
} from '../../scripts/lib/carrier-scenarios'

export { makeTone } from '../../scripts/lib/carrier-scenarios'

export interface Peer {
  readonly output: () => string
  /** Every SIP message it sent and received (sipp -trace_msg). */
  readonly messages: () => string
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>
  stop(): Promise<void>
}

function sipp(args: string[], scenario: string): Peer {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-carrier-'))
  writeFileSync(join(dir, 'scenario.xml'), scenario)
  const messages = join(dir, 'messages.log')
  const child: ChildProcess = spawn(
    'sipp',
    ['-sf', join(dir, 'scenario.xml'), ...args, '-nostdin', '-trace_msg', '-message_file', messages],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir
    }
  )
  let out = ''
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)))
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return {
    output: () => out,
    messages: () => (existsSync(messages) ? readFileSync(messages, 'utf8') : ''),
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    }
  }
}

/** A carrier's gateway on 127.0.0.1:port, answering every call (no call limit) until stopped. */
export async function startGateway(port: number, b: GatewayBehaviour): Promise<Peer> {
  return sipp([...gatewayArgs(port, await freePort()), '-trace_err'], gatewayScenario(b))
}

/** A carrier calling a Dialtone number from 127.0.0.1:port; resolves with sipp's exit code (0 = as expected). */
export async function carrierCall(kamailioPort: number, port: number, c: InboundCall): Promise<Peer> {
  const args = carrierCallArgs(kamailioPort, port, await freePort())
  return sipp([...args, '-trace_err'], carrierCallScenario(kamailioPort, c))
}
