/**
 * The dev stack's simulated PSAP log (logs/psap-messages.log, the newcomer's README run: ~1.7 MB an hour of
 * Kamailio's OPTIONS probes, every 2 s): the PSAP still answers the probes (dispatcher must see it up), but its log
 * holds only the calls' messages as received — the INVITE with its callback number, the ACK, the BYE. sipp as the
 * dev stack runs it (psapPeerArgs, devPsapScenario), probes from a UDP socket, a call from the carrier's sipp.
 */
import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { carrierCallArgs, carrierCallScenario } from '../../scripts/lib/carrier-scenarios'
import { devPsapScenario, psapPeerArgs } from '../../scripts/lib/stack-emergency'
import { freePort, freePortBlock } from '../support/free-port'
import { sippListening } from '../support/sipp'

const dir = mkdtempSync(join(tmpdir(), 'dialtone-psap-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** One OPTIONS probe as dispatcher sends it; resolves with the answer's status line. */
function probe(port: number, n: number): Promise<string> {
  const socket = createSocket('udp4')
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (socket.close(), reject(new Error('no answer to OPTIONS'))), 3000)
    socket.once('message', (m) => {
      clearTimeout(timer)
      socket.close()
      resolve(m.toString().split('\r\n')[0] ?? '')
    })
    socket.bind(0, '127.0.0.1', () => {
      const { port: local } = socket.address()
      const msg = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-probe-${n}`,
        `From: <sip:probe@dialtone.invalid>;tag=probe${n}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: probe-${n}@127.0.0.1`,
        'CSeq: 10 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        ''
      ].join('\r\n')
      socket.send(msg, port, '127.0.0.1')
    })
  })
}

const exited = (child: ReturnType<typeof spawn>): Promise<number> =>
  new Promise((r) => child.once('exit', (c) => r(c ?? -1)))

/** A file sipp writes as it goes, as far as it is written ('' until it exists). */
const textOf = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '')

describe('the dev stack’s PSAP log', () => {
  it('answers the OPTIONS probes without writing them, and writes the call’s messages as received', async () => {
    const port = await freePort()
    const scenario = join(dir, 'psap.xml')
    writeFileSync(scenario, devPsapScenario(30_000))
    // No -m: sipp counts every OPTIONS as a call, and in a full run another file's Kamailio may still probe this
    // port (a PSAP it had stopped), which ended the PSAP before the call came. It is stopped once its log has the
    // call's BYE, and its error file says whether a check failed (a call without a callback number still ends 0
    // for the caller: sipp notes the failed check and goes on).
    const psap = spawn('sipp', psapPeerArgs(scenario, dir, 'psap', port), { stdio: 'ignore' })
    const logged = () => textOf(join(dir, 'psap-messages.log'))
    try {
      await sippListening(psap, port)
      // Four probes: more than the three a -m 4 PSAP could take before the call (the full run's stray probes).
      for (let n = 0; n < 4; n++) expect(await probe(port, n)).toBe('SIP/2.0 200 OK')

      const call = join(dir, 'call.xml')
      writeFileSync(
        call,
        carrierCallScenario(port, { from: '12125550142', to: '911', expect: 'ok', holdMs: 300 })
      )
      const caller = spawn(
        'sipp',
        ['-sf', call, ...carrierCallArgs(port, await freePort(), await freePortBlock(4)), '-nostdin'],
        { stdio: 'ignore', cwd: dir }
      )
      expect(await exited(caller)).toBe(0)
      await expect.poll(logged, { timeout: 10_000, interval: 100 }).toMatch(/^BYE /m)
    } finally {
      psap.kill()
    }
    const log = logged()
    expect(log).not.toContain('OPTIONS')
    expect(log).toMatch(/^INVITE sip:911@/m)
    expect(log).toContain('P-Asserted-Identity: <sip:+12125550142@carrier.test;user=phone>')
    expect(log).toMatch(/^ACK /m)
    expect(log).toMatch(/^BYE /m)
    // What its exit code said when it ended by count: no call failed a check or met a message it did not expect.
    expect(textOf(join(dir, 'psap-errors.log'))).not.toMatch(
      /Failed regexp|Regexp matched but should not|Aborting call/
    )
  }, 30_000)
})
