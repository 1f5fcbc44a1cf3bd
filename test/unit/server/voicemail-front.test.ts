/**
 * The voicemail front (src/server/voicemail/sip-front.ts) gives a call only to a line that is up: a line whose
 * baresip is down or restarting (`running` false) is skipped even when it is the first free one, and with no line
 * up the caller gets 486 at once instead of an INVITE sent to a dead port and a 5-second wait.
 */
import { createSocket, type Socket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { type FrontSlot, SipFront } from '../../../src/server/voicemail/sip-front'
import { freePort } from '../../support/free-port'

const open: (Socket | SipFront)[] = []
afterEach(async () => {
  for (const x of open.splice(0)) {
    if (x instanceof SipFront) await x.stop()
    else x.close()
  }
})

/** A UDP socket on 127.0.0.1 that keeps what it receives. */
async function listener(): Promise<{ port: number; got: string[]; socket: Socket }> {
  const s = createSocket('udp4')
  open.push(s)
  const got: string[] = []
  s.on('message', (m) => got.push(m.toString()))
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))
  return { port: s.address().port, got, socket: s }
}

const invite = (port: number, from: number): string =>
  [
    `INVITE sip:deposit-busy-15551230000@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${from};branch=z9hG4bKtest1`,
    'Max-Forwards: 70',
    'From: <sip:15551239999@dialtone.test>;tag=a1',
    'To: <sip:deposit-busy-15551230000@dialtone.test>',
    'Call-ID: front-test-1',
    'CSeq: 1 INVITE',
    `Contact: <sip:15551239999@127.0.0.1:${from}>`,
    'Content-Length: 0',
    '',
    ''
  ].join('\r\n')

async function front(slots: FrontSlot[]): Promise<number> {
  const port = await freePort()
  const f = new SipFront({
    host: '127.0.0.1',
    port,
    trusted: ['127.0.0.1'],
    slots,
    onSession: () => undefined,
    onSubscribe: () => undefined,
    onNotifyResponse: () => undefined,
    log: () => undefined
  })
  await f.start()
  open.push(f)
  return port
}

const until = async (f: () => boolean): Promise<void> => {
  for (const end = Date.now() + 3000; !f() && Date.now() < end;) await new Promise((r) => setTimeout(r, 10))
}

describe('the voicemail front', () => {
  it('skips a line that is down and gives the call to the next one up', async () => {
    const down = await listener()
    const up = await listener()
    const caller = await listener()
    const slots: FrontSlot[] = [
      { sipPort: down.port, running: false, callId: null },
      { sipPort: up.port, running: true, callId: null }
    ]
    const port = await front(slots)
    caller.socket.send(invite(port, caller.port), port, '127.0.0.1')
    await until(() => up.got.length > 0)
    expect(up.got[0]).toMatch(new RegExp(`^INVITE sip:vm@127\\.0\\.0\\.1:${up.port} SIP/2\\.0`))
    expect(down.got).toEqual([])
    expect(slots.map((x) => x.callId)).toEqual([null, 'front-test-1'])
    expect(caller.got.filter((m) => /^SIP\/2\.0 486 /.test(m))).toEqual([])
  })

  it('answers 486 at once when no line is up', async () => {
    const down = await listener()
    const caller = await listener()
    const port = await front([{ sipPort: down.port, running: false, callId: null }])
    caller.socket.send(invite(port, caller.port), port, '127.0.0.1')
    await until(() => caller.got.length > 0)
    expect(caller.got[0]).toMatch(/^SIP\/2\.0 486 /)
    expect(down.got).toEqual([])
  })
})
