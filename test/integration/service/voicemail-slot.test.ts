/**
 * A voicemail line (one real baresip, src/server/voicemail/baresip-slot.ts) whose ports are taken: a SIP port
 * found free and then taken by someone else before baresip binds it made baresip exit (98, address in use) and
 * the slot retry that same port; the service failed to start (CI, `npm start` beside other tests). The slot now
 * chooses its ports at each start and counts a start only once baresip itself answers on the control connection:
 * a taken SIP or control port (the other program's listener answering, or saying something else) costs an
 * attempt, a crash restarts the line by itself on fresh ports, stop() during a start leaves no baresip, and ports
 * that stay taken end in a sentence naming the line and its log. The front (sip-front.ts) gives calls only to
 * lines that are up. baresip is started through setpriv --pdeathsig where there is one that knows it; a missing or
 * older setpriv is said in a sentence (the server's start logs it as a warning) and baresip runs directly.
 */
import { execFileSync } from 'node:child_process'
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silence } from '../../../src/server/voicemail/audio'
import {
  BaresipSlot,
  type SlotPorts,
  detectedSetpriv,
  findSetpriv
} from '../../../src/server/voicemail/baresip-slot'
import { freePort, freePortBlock } from '../../support/free-port'

const slots: BaresipSlot[] = []
const held: (UdpSocket | Server | Socket)[] = []
afterEach(async () => {
  await Promise.all(slots.splice(0).map((s) => s.stop()))
  // The holders' accepted connections too: one nobody reads never sees its peer leave, and would outlive the file.
  for (const h of held.splice(0))
    if ('destroy' in h) h.destroy()
    else h.close()
})

/** Holds a TCP port on 127.0.0.1, as another program would; what it says to whoever connects, if anything. */
const holdTcp = (port: number, says?: string): Promise<void> =>
  new Promise((resolve) => {
    const s = createServer((c) => {
      held.push(c)
      c.on('error', () => undefined)
      if (says) c.write(says)
    })
    held.push(s)
    s.listen(port, '127.0.0.1', () => resolve())
  })

/** Holds a UDP port on 127.0.0.1, as another program would. */
const holdUdp = (port: number): Promise<void> =>
  new Promise((resolve) => {
    const s = createSocket('udp4')
    held.push(s)
    s.bind(port, '127.0.0.1', () => resolve())
  })

async function slotWith(
  ports: () => Promise<SlotPorts>,
  setpriv?: string | null
): Promise<{ slot: BaresipSlot; logs: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-vm-slot-'))
  const idle = join(dir, 'silence.wav')
  await silence(idle, 1)
  const rtp = await freePortBlock(2)
  const logs: string[] = []
  const slot = new BaresipSlot({
    index: 0,
    dir,
    ports,
    rtpPorts: [rtp, rtp + 1],
    idleSource: idle,
    log: (m) => logs.push(m),
    ...(setpriv !== undefined ? { setpriv } : {})
  })
  slots.push(slot)
  return { slot, logs }
}

const freeSlotPorts = async (): Promise<SlotPorts> => ({ sip: await freePort(), ctrl: await freePort() })

/** The baresip processes running on this slot's folder. */
const baresipOf = (slot: BaresipSlot): number[] => {
  try {
    return execFileSync('pgrep', ['-f', `baresip -4 -f ${slot.o.dir}$`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
  } catch {
    return [] // pgrep exits 1 when none
  }
}

describe('a voicemail line whose ports are taken', () => {
  it('starts on other ports when its first SIP port is taken, and its control socket answers', async () => {
    const taken = await freePort()
    await holdUdp(taken)
    const offered: SlotPorts[] = [{ sip: taken, ctrl: await freePort() }, await freeSlotPorts()]
    let i = 0
    const { slot, logs } = await slotWith(async () => offered[i++] ?? (await freeSlotPorts()))
    await slot.start()
    expect(i).toBe(2)
    expect(slot.sipPort).toBe(offered[1]?.sip)
    expect(logs.join('\n')).toContain(`SIP port ${taken}`)
    expect(slot.running).toBe(true)
    expect((await slot.command('reginfo')).ok).toBe(true)
    expect(baresipOf(slot)).toHaveLength(1)
  }, 30_000)

  it.each([
    ['says nothing', undefined],
    ['answers in another protocol', 'HTTP/1.1 400 Bad Request: not here\r\n\r\n']
  ])(
    'starts on other ports when its control port is taken by a program that %s',
    async (_, says) => {
      const taken = await freePort()
      await holdTcp(taken, says)
      const offered: SlotPorts[] = [{ sip: await freePort(), ctrl: taken }, await freeSlotPorts()]
      let i = 0
      const { slot, logs } = await slotWith(async () => offered[i++] ?? (await freeSlotPorts()))
      await slot.start()
      expect(i).toBe(2)
      expect(slot.running).toBe(true)
      expect(slot.sipPort).toBe(offered[1]?.sip)
      expect(logs.join('\n')).toContain(`control port ${taken}`)
      expect((await slot.command('reginfo')).ok).toBe(true)
      expect(baresipOf(slot)).toHaveLength(1)
    },
    30_000
  )

  it('restarts by itself on fresh ports after baresip dies, and says so', async () => {
    const { slot, logs } = await slotWith(freeSlotPorts)
    await slot.start()
    const first = slot.sipPort
    const exited = new Promise<void>((r) => slot.once('exit', () => r()))
    for (const pid of baresipOf(slot)) process.kill(pid, 'SIGKILL')
    await exited
    expect(slot.running).toBe(false)
    const deadline = Date.now() + 10_000
    while (!slot.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(slot.running).toBe(true)
    expect(slot.sipPort).not.toBe(first)
    expect(logs.join('\n')).toMatch(/voicemail line 0 \(baresip\) stopped \(exit null\)/)
    expect((await slot.command('reginfo')).ok).toBe(true)
    expect(baresipOf(slot)).toHaveLength(1)
  }, 30_000)

  it('leaves no baresip when stopped while it starts', async () => {
    let release: () => void = () => undefined
    const { slot } = await slotWith(async () => {
      await new Promise<void>((r) => (release = r))
      return freeSlotPorts()
    })
    const starting = slot.start()
    await new Promise((r) => setTimeout(r, 20))
    await slot.stop()
    release()
    await starting
    expect(slot.running).toBe(false)
    expect(baresipOf(slot)).toEqual([])
    expect((await slot.command('reginfo')).ok).toBe(false)
  }, 30_000)

  it('gives up with a sentence naming the line and its log when every port it is given is taken', async () => {
    const taken = await freePort()
    await holdUdp(taken)
    let asked = 0
    const { slot } = await slotWith(async () => (asked++, { sip: taken, ctrl: await freePort() }))
    await expect(slot.start()).rejects.toThrow(
      /^voicemail line 0: baresip did not answer on its control port, 3 times \(its log: .*baresip\.log\)$/
    )
    expect(asked).toBe(3)
    expect(slot.running).toBe(false)
    expect(baresipOf(slot)).toEqual([])
  }, 30_000)
})

describe('a voicemail line where setpriv cannot give baresip a parent-death signal', () => {
  /** A program named setpriv whose --help prints `help`. */
  const fakeSetpriv = (help: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'dialtone-setpriv-')), 'setpriv')
    writeFileSync(file, `#!/bin/sh\ncat <<'EOF'\n${help}\nEOF\n`)
    chmodSync(file, 0o755)
    return file
  }

  it('says so (missing, or without --pdeathsig), and baresip runs directly', async () => {
    const missing = findSetpriv(['/nonexistent/setpriv'])
    expect(missing.path).toBeNull()
    expect(missing.problem).toMatch(/^setpriv not found \(\/nonexistent\/setpriv; util-linux\): .*crashes/)
    const old = fakeSetpriv('Usage: setpriv [options] <program> [<argument>...]\n --nnp  set no_new_privs')
    const tooOld = findSetpriv([old])
    expect(tooOld.path).toBeNull()
    expect(tooOld.problem).toMatch(
      new RegExp(`^${old} does not support --pdeathsig .*messages being recorded are lost`)
    )
    const good = fakeSetpriv(' --pdeathsig keep|clear|<signame>  set or clear parent death signal')
    expect(findSetpriv(['/nonexistent/setpriv', good])).toEqual({ path: good, problem: null })
    // This machine's (util-linux) knows it.
    expect(detectedSetpriv()).toEqual({ path: expect.stringMatching(/\/setpriv$/), problem: null })

    // Started with what was found (none): baresip itself, which answers (the old setpriv would have printed its
    // help and exited, every start).
    const { slot } = await slotWith(freeSlotPorts, tooOld.path)
    await slot.start()
    expect((await slot.command('reginfo')).ok).toBe(true)
    expect(baresipOf(slot)).toHaveLength(1)
  }, 30_000)
})
