/**
 * Message waiting (src/server/voicemail/mwi.ts) logs each NOTIFY without the box it is for (security review 34,
 * L2): a box is its line's SIP username, the phone number without its `+`, and numbers stay out of logs
 * (docs/service.md). The NOTIFY itself still names the box (the line needs it); the log says a tag that no one can
 * work back to the number, the same for one box while the server runs.
 */
import { createHash } from 'node:crypto'
import { type Socket, createSocket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { MwiNotifier, boxTag } from '../../../src/server/voicemail/mwi'
import type { SipMessage } from '../../../src/server/voicemail/sip-message'

const open: (Socket | MwiNotifier)[] = []
afterEach(() => {
  for (const x of open.splice(0)) x.close()
})

async function udp(): Promise<{ socket: Socket; port: number; got: string[] }> {
  const socket = createSocket('udp4')
  open.push(socket)
  const got: string[] = []
  socket.on('message', (m) => got.push(m.toString()))
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()))
  return { socket, port: socket.address().port, got }
}

/** A line's SUBSCRIBE to its own message summary, as Kamailio relays it. */
const subscribe = (box: string, port: number, callId: string): SipMessage => ({
  method: 'SUBSCRIBE',
  uri: `sip:${box}@dialtone.test`,
  headers: [
    ['Via', `SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${callId}`],
    ['From', `<sip:+${box}@dialtone.test>;tag=f${callId}`],
    ['To', `<sip:${box}@dialtone.test>`],
    ['Call-ID', callId],
    ['CSeq', '1 SUBSCRIBE'],
    ['Contact', `<sip:${box}@127.0.0.1:${port}>`],
    ['Event', 'message-summary'],
    ['Expires', '600']
  ],
  body: ''
})

const until = async (ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20))
}

describe('message waiting in the log', () => {
  it('names no phone number: each NOTIFY is logged by a tag of its box', async () => {
    const box = '12125550123'
    const other = '13125550188'
    const unheard = new Map([
      [box, 1],
      [other, 0]
    ])
    const server = await udp()
    const line = await udp()
    const logged: string[] = []
    const mwi = new MwiNotifier(
      server.socket,
      { host: '127.0.0.1', port: server.port },
      'dialtone.test',
      (b) => Promise.resolve(unheard.has(b) ? { unheard: unheard.get(b) ?? 0, heard: 2 } : null),
      (m) => logged.push(m)
    )
    open.push(mwi)
    const from = { host: '127.0.0.1', port: line.port }
    await mwi.onSubscribe(subscribe(box, line.port, 'c1'), from)
    await mwi.onSubscribe(subscribe(other, line.port, 'c2'), from)
    unheard.set(box, 0)
    await mwi.changed(box)
    // The line hears its box named: a NOTIFY for each subscription, and one of the change (each maybe sent again,
    // being unanswered here: told apart by their CSeq).
    const notified = () =>
      new Set(
        line.got
          .filter((m) => m.startsWith('NOTIFY') && m.includes(`Message-Account: sip:${box}@`))
          .map((m) => /^CSeq: (\d+)/m.exec(m)?.[1])
      )
    await until(() => notified().size >= 2)
    expect([...notified()].sort()).toEqual(['1', '2'])

    for (const l of logged) {
      expect(l).not.toContain(box)
      expect(l).not.toContain(other)
      expect(l).not.toMatch(/\d{7,}/)
    }
    expect(logged).toEqual([
      `voicemail: NOTIFY box ${boxTag(box)} waiting=yes`,
      `voicemail: NOTIFY box ${boxTag(other)} waiting=no`,
      `voicemail: NOTIFY box ${boxTag(box)} waiting=no`
    ])
    // Letters only: never a run of digits a scan for phone numbers would read as one.
    expect(boxTag(box)).toMatch(/^[a-p]{8}$/)
    // One box, one tag; two boxes, two; and not a plain hash of the number (written as the tag is), which anyone
    // could compute for every number to find the one that matches.
    expect(boxTag(box)).toBe(boxTag(box))
    expect(boxTag(box)).not.toBe(boxTag(other))
    const asTag = (digest: Buffer): string =>
      [...digest.subarray(0, 4)].map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join('')
    for (const plain of ['sha256', 'sha1', 'md5'])
      expect(asTag(createHash(plain).update(box).digest())).not.toBe(boxTag(box))
  })
})
