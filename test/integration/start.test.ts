/**
 * `npm start` as the only command (scripts/start.mjs, on the built out/): from a fresh data folder on free ports
 * it starts the account service, Kamailio, the update server with a signed dev release and the web host, each
 * answering; Ctrl-C leaves no process it started and frees every port. Before starting anything, a port in use, a
 * missing Kamailio or a second copy on the same data folder is one plain sentence and a non-zero exit, at once; a
 * part that stops by itself takes the rest down with a sentence naming it.
 */
import { spawnSync } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadTrustedKeys } from '../../src/main/setup/trusted-keys'
import { verifyManifest } from '../../src/main/setup/update-verify'
import { PORTS } from '../../scripts/lib/stack-config'
import {
  assertBuilt,
  freshSetup,
  type Launched,
  launch,
  processTree,
  stillRunning
} from '../support/start-stack'
import { tcpPortFree, udpPortFree } from '../../src/server/port-check'
import { isLoopback, openSockets } from '../support/open-sockets'

const running: Launched[] = []
const started = (l: Launched): Launched => (running.push(l), l)
const occupied: Server[] = []

beforeAll(() => assertBuilt())
afterEach(async () => {
  // A test that failed before its stop leaves the launcher and everything it started.
  for (const l of running.splice(0)) l.killAll()
  for (const s of occupied.splice(0)) await new Promise((r) => s.close(r))
})

/** One plain sentence on stderr: one line, ending with a full stop. */
function oneSentence(stderr: string): string {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^[A-Z].*\.$/)
  return lines[0] ?? ''
}

describe('npm start', () => {
  it(
    'starts every part from a fresh data folder, and Ctrl-C stops everything it started',
    { timeout: 120_000 },
    async () => {
      const s = await freshSetup()
      const l = started(launch('start', s.env, ['--virtual-dongle']))
      const [url] = await l.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/)
      await l.waitFor(/Ctrl-C stops everything/)
      expect(url).toContain(`:${s.ports.web}/`)
      // The way on to a dial tone without a dongle, and every address printed answers (the update server's is
      // its feed, not a folder that answers 404).
      expect(l.stdout()).toContain(
        'The virtual dongle is on (--virtual-dongle): follow the setup wizard on the Device page'
      )
      // (Not a variable's value, DIALTONE_OPS_URL=…: that one is for the ops CLI.)
      const printed = [...l.stdout().matchAll(/(?<!=)http:\/\/127\.0\.0\.1:\d+[^\s)]*/g)].map((m) => m[0])
      expect(printed).toContain(`http://127.0.0.1:${s.ports.update}/manifest.json`)
      for (const address of printed) {
        const answer = await fetch(address)
        await answer.arrayBuffer() // read to the end: an unread body keeps its connection open past the test
        expect(answer.status, address).toBe(200)
      }

      // Each part answers: the service, Kamailio's RPC, the signed dev release, the web host.
      expect((await fetch(`http://127.0.0.1:${s.ports.service}/v1/health`)).status).toBe(200)
      const rpc = await fetch(`http://127.0.0.1:${s.ports.ws}/RPC`, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', method: 'core.uptime', id: 1 })
      })
      expect(((await rpc.json()) as { result?: unknown }).result).toBeDefined()
      const envelope: unknown = await (await fetch(`http://127.0.0.1:${s.ports.update}/manifest.json`)).json()
      const manifest = verifyManifest(envelope, loadTrustedKeys([join(s.dataDir, 'dev-update-key')]), {
        installedVersion: '1.0.0',
        appVersion: '0.1.0',
        now: new Date()
      })
      expect(manifest.artifacts.find((a) => a.model === '06e6:c200')).toBeDefined()
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root">')
      // The service's data is in the fresh folder, and the lock says who runs it.
      expect(existsSync(join(s.dataDir, 'service', 'service.db'))).toBe(true)
      expect(JSON.parse(readFileSync(join(s.dataDir, 'service', 'stack.lock'), 'utf8'))).toMatchObject({
        pid: l.proc.pid
      })

      const tree = processTree(l.proc.pid ?? 0)
      const kamailio = tree.filter((p) => p.cmd.includes('kamailio'))
      expect(kamailio.length, 'Kamailio forks its workers').toBeGreaterThan(3)
      // 911 and 933 go to their own independent peers: the simulated PSAP (sipp), an emergency gateway Kamailio
      // probes, and the address test that speaks (node); the two simulated carriers' gateways are sipp too, behind
      // the media relay.
      const sipp = tree.filter((p) => /(^|\/)sipp /.test(p.cmd))
      expect(sipp.filter((p) => /psap\.xml/.test(p.cmd)).length, 'the PSAP').toBe(1)
      expect(tree.filter((p) => p.cmd.includes('address-test.mjs')).length, 'the 933 service').toBe(1)
      const gateways = await fetch(`http://127.0.0.1:${s.ports.ws}/RPC`, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', method: 'dispatcher.list', id: 1 })
      })
      expect(JSON.stringify(await gateways.json())).toMatch(
        new RegExp(`"SET":\\{"ID":911,.*sip:127\\.0\\.0\\.1:${s.ports.psap};transport=udp`)
      )
      expect(sipp.filter((p) => /carrier-[ab]\.xml/.test(p.cmd)).length, 'the two carriers').toBe(2)
      expect(tree.filter((p) => /(^|\/)rtpengine /.test(p.cmd)).length, 'the media relay').toBe(1)
      for (const part of ['out/main/server.js', 'out/main/updates.js', 'out/main/web.js'])
        expect(
          tree.some((p) => p.cmd.includes(part)),
          part
        ).toBe(true)
      // `npm start -- --virtual-dongle` reaches the app (web.js parses it in src/main/web/main.ts into the brain's
      // forceVirtualDongle: virtual-access.test.ts; the startup benchmark opens the wizard with it).
      expect(tree.find((p) => p.cmd.includes('out/main/web.js'))?.cmd).toMatch(/ --virtual-dongle$/)
      // Everything on 127.0.0.1, as the README says: no part listens on another address. But for two UDP sockets
      // of each voicemail baresip, bound to the any-address on a system-chosen port before it reads its
      // configuration (strace: the first two binds, before sip_listen's), which its configuration cannot move.
      const sockets = openSockets(tree.map((p) => p.pid))
      // The reader finds what is there: Kamailio's SIP and the service's HTTP, on loopback.
      expect(
        sockets.some((o) => o.proto === 'udp' && o.port === s.ports.sip && o.address === '127.0.0.1')
      ).toBe(true)
      expect(sockets.some((o) => o.proto === 'tcp' && o.port === s.ports.service)).toBe(true)
      const commandOf = (pid: number) => tree.find((p) => p.pid === pid)?.cmd.split(' ')[0] ?? '?'
      const exposed = sockets.filter((o) => !isLoopback(o.address))
      const named = exposed.map((o) => `${commandOf(o.pid)} ${o.proto} ${o.address}:${o.port}`)
      expect(named.filter((n) => !/^baresip udp6? 0(\.0\.0\.0|(:0){7}):\d+$/.test(n))).toEqual([])
      for (const pid of new Set(exposed.map((o) => o.pid)))
        expect(exposed.filter((o) => o.pid === pid).length, `baresip ${pid}: its two`).toBeLessThanOrEqual(2)

      l.proc.kill('SIGINT')
      expect(await l.exit()).toBe(0)
      expect(l.stdout().trim().split('\n').at(-1)).toBe('Stopped: nothing Dialtone started is still running.')
      expect(stillRunning(tree).map((p) => `${p.pid} ${p.cmd}`)).toEqual([])
      for (const port of [s.ports.service, s.ports.ws, s.ports.update, s.ports.web])
        expect(await tcpPortFree(port), `tcp ${port}`).toBe(true)
      for (const port of [s.ports.sip, s.ports.psap, s.ports.addressTest])
        expect(await udpPortFree(port), `udp ${port}`).toBe(true)
      expect(existsSync(join(s.dataDir, 'service', 'stack.lock'))).toBe(false)
    }
  )

  it('says a port is in use in one sentence and exits at once, creating nothing', async () => {
    const s = await freshSetup()
    const busy = createServer()
    occupied.push(busy)
    await new Promise<void>((r) => busy.listen(s.ports.service, '127.0.0.1', r))
    const began = Date.now()
    const l = started(launch('start', s.env))
    expect(await l.exit(5000)).toBe(1)
    expect(Date.now() - began).toBeLessThan(5000)
    expect(oneSentence(l.stderr())).toBe(
      `Port ${s.ports.service} (the account service) is already in use on 127.0.0.1: stop the program using it, or choose another with DIALTONE_SERVICE_PORT.`
    )
    // Not even the service's data folder: the refusal comes before anything is made.
    expect(existsSync(join(s.dataDir, 'service'))).toBe(false)
  })

  it('names a busy PSAP port without brackets in brackets, before loading the rest of the stack', async () => {
    const s = await freshSetup()
    const busy = createSocket('udp4')
    await new Promise<void>((r) => busy.bind(s.ports.psap, '127.0.0.1', r))
    try {
      const l = started(launch('start', s.env))
      expect(await l.exit(5000)).toBe(1)
      expect(oneSentence(l.stderr())).toBe(
        `Port ${s.ports.psap} (the simulated 911 PSAP) is already in use on 127.0.0.1: stop the program using it, or choose another with DIALTONE_PSAP_PORT.`
      )
      expect(existsSync(join(s.dataDir, 'service'))).toBe(false)
    } finally {
      busy.close()
    }
    // Every port's name reads inside the sentence's brackets: none has brackets of its own.
    expect(PORTS.filter((p) => /[()]/.test(p.name)).map((p) => p.name)).toEqual([])
  })

  it('refuses an option it does not take in one sentence, before anything starts', async () => {
    const s = await freshSetup()
    const l = started(launch('start', s.env, ['--port', '9999']))
    expect(await l.exit(5000)).toBe(1)
    expect(oneSentence(l.stderr())).toBe(
      'The only option npm start takes is --virtual-dongle, with no value, not "--port" "9999": ports and folders are set with variables (docs/service.md).'
    )
    expect(existsSync(join(s.dataDir, 'service'))).toBe(false)
  })

  it('says Kamailio is missing in one sentence and exits at once', async () => {
    const s = await freshSetup()
    const l = started(launch('start', { ...s.env, DIALTONE_KAMAILIO_BIN: join(s.dataDir, 'no-kamailio') }))
    expect(await l.exit(5000)).toBe(1)
    expect(oneSentence(l.stderr())).toMatch(
      /^Kamailio, the SIP server, is not installed .*scripts\/setup\.sh/
    )
  })

  it(
    'refuses a second copy on the same data folder, and takes over a lock left by a dead one',
    { timeout: 120_000 },
    async () => {
      const s = await freshSetup()
      // A lock left behind by a copy that was killed: its pid is no longer running.
      const dead = spawnSync(process.execPath, [
        '-e',
        'process.stdout.write(String(process.pid))'
      ]).stdout.toString()
      mkdirSync(join(s.dataDir, 'service'), { recursive: true })
      writeFileSync(
        join(s.dataDir, 'service', 'stack.lock'),
        JSON.stringify({ pid: Number(dead), command: 'npm start' })
      )
      const first = started(launch('stack', s.env))
      await first.waitFor(/Ctrl-C stops everything/)

      const second = started(launch('start', s.env))
      expect(await second.exit(5000)).toBe(1)
      expect(oneSentence(second.stderr())).toBe(
        `Dialtone is already running from ${join(s.dataDir, 'service')} (\`npm run stack\`, process ${first.proc.pid}): use that one, or stop it first.`
      )
      // The first copy is untouched by the refused one.
      expect((await fetch(`http://127.0.0.1:${s.ports.service}/v1/health`)).status).toBe(200)
      const tree = processTree(first.proc.pid ?? 0)
      first.proc.kill('SIGTERM')
      expect(await first.exit()).toBe(0)
      expect(stillRunning(tree)).toEqual([])
    }
  )

  it(
    'stops everything with a sentence naming the part that stopped by itself',
    { timeout: 120_000 },
    async () => {
      const s = await freshSetup()
      // A "Kamailio" that exits at once, after the service has started.
      const l = started(launch('start', { ...s.env, DIALTONE_KAMAILIO_BIN: '/bin/false' }))
      // The service and the media relay start before Kamailio: 5 s alone here, over 30 s in CI's run of
      // 2026-12-07 with vitest and e2e beside it (as the first test's banner). What is said and what stops is
      // checked, not how soon.
      expect(await l.exit(90_000)).toBe(1)
      expect(l.stderr().split('\n')[0], l.stderr()).toBe(
        'Kamailio stopped by itself (exit code 1), so everything else was stopped too.'
      )
      expect(await tcpPortFree(s.ports.service)).toBe(true)
    }
  )
})
