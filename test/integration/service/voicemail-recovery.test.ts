/**
 * What the voicemail server's start does with what a crash left in its lines' folders (src/server/voicemail/
 * recovery.ts): each line's folder as a crash leaves it is written here (baresip's recording of the caller, its WAV
 * header's sizes never filled in, and the deposit's mark written when the beep ended), then the real server starts
 * on that folder (real baresip lines). A recording with a mark is kept as a message from the mark on, dated when
 * the caller stopped speaking; one without a mark (the crash came before the beep), a silent one, a mark that is
 * not one, and recordings that are not WAV files or stop inside their header keep nothing and do not stop the start;
 * a message already kept before the crash is not kept twice; a recording that cannot be kept (sox fails) is moved
 * aside, not deleted. The box is the mark's line's, found by the line's id: a mark whose line now has another box
 * (its number moved) or is not there is set aside, not kept in whichever line has the mark's box now. A caller's
 * name longer than a mark keeps is cut when the mark is written, and the message is kept. A FIFO named like a
 * recording is passed over (opening it would block the start). The folders are gone afterwards, as before.
 * The whole path (a real call, a real SIGKILL, a real restart) is in test/media/voicemail-server.test.ts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../../src/server/secrets'
import { type DepositMark, MAX_CALLER, recoverLine, writeMark } from '../../../src/server/voicemail/recovery'
import { startVoicemail } from '../../../src/server/voicemail/server'
import { listMessages, saveMessage } from '../../../src/server/voicemail/store'
import { freePort, freePortBlock } from '../../support/free-port'
import { type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'
import { toneShare, wavSamples } from '../../support/voicemail-caller'

/** 8 kHz mono 16-bit WAV of these parts (a tone's Hz, or null for silence), sizes 0 as a killed writer leaves them. */
function recording(parts: readonly { hz: number | null; ms: number }[]): Buffer {
  const samples: number[] = []
  for (const p of parts)
    for (let i = 0; i < p.ms * 8; i++)
      samples.push(p.hz === null ? 0 : Math.round(12000 * Math.sin((2 * Math.PI * p.hz * i) / 8000)))
  const h = Buffer.alloc(44)
  h.write('RIFF', 0, 'ascii')
  h.write('WAVE', 8, 'ascii')
  h.write('fmt ', 12, 'ascii')
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(1, 22)
  h.writeUInt32LE(8000, 24)
  h.writeUInt32LE(16000, 28)
  h.writeUInt16LE(2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36, 'ascii')
  const data = Buffer.alloc(samples.length * 2)
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2))
  return Buffer.concat([h, data])
}

let svc: TestService
let line: TrialLine
let box: string
/** Another line, and its box. */
let other: TrialLine
let otherBox: string
const work = mkdtempSync(join(tmpdir(), 'dialtone-vm-recovery-'))
const markedAt = new Date(Date.now() - 3_600_000)

beforeAll(async () => {
  svc = await startTestService('sqlite')
  line = await trialLine(svc)
  const row = await svc.service.ctx.db
    .selectFrom('sip_accounts')
    .select('username')
    .where('line_id', '=', line.lineId)
    .executeTakeFirstOrThrow()
  box = row.username
  other = await trialLine(svc)
  otherBox = (
    await svc.service.ctx.db
      .selectFrom('sip_accounts')
      .select('username')
      .where('line_id', '=', other.lineId)
      .executeTakeFirstOrThrow()
  ).username
}, 60_000)

/** The FIFO's writer (see its test), ended by its id. */
let writer: ChildProcess | null = null

afterAll(async () => {
  if (writer && writer.exitCode === null && writer.signalCode === null) {
    const gone = new Promise((r) => writer?.once('exit', r))
    writer.kill('SIGKILL')
    await gone
  }
  await svc?.close()
  rmSync(work, { recursive: true, force: true })
})

/** The voicemail log lines that name a phone number: a line's box or a mark's caller, with or without its `+`. */
const numbersIn = (logged: readonly string[]): string[] =>
  logged.filter((l) => /voicemail/.test(l) && [box, otherBox, '1312555010'].some((n) => l.includes(n)))

/** One line's folder as a crash left it: its mark (or raw text in its place) and its recording's bytes. */
function leftover(n: number, mark: Partial<DepositMark> | string | null, rec: Buffer | null): string {
  const dir = join(work, 'lines', String(n))
  mkdirSync(join(dir, 'rec'), { recursive: true })
  const id = newId('vm')
  if (mark !== null)
    writeFileSync(
      join(dir, 'deposit.json'),
      typeof mark === 'string'
        ? mark
        : JSON.stringify({
            messageId: id,
            lineId: line.lineId,
            accountId: line.accountId,
            box,
            caller: `+1312555010${n}`,
            callerName: null,
            reason: 'no-answer',
            recordFrom: 2000,
            markedAt: markedAt.toISOString(),
            ...mark
          })
    )
  // sndfile's names: the peer, a time, -enc (what was played) and -dec (the caller).
  if (rec) writeFileSync(join(dir, 'rec', `dump-sip:caller@127.0.0.1-20260102-030405-dec.wav`), rec)
  writeFileSync(join(dir, 'rec', `dump-sip:caller@127.0.0.1-20260102-030405-enc.wav`), recording([]))
  return id
}

describe('the voicemail server started after a crash', () => {
  it('keeps the message each deposit past its beep was recording, and nothing else, once', async () => {
    // Two seconds of greeting time (the caller's 300 Hz over it), then 3 s of message at 700 Hz.
    const spoken = recording([
      { hz: 300, ms: 2000 },
      { hz: 700, ms: 3000 }
    ])
    const good = leftover(0, {}, spoken)
    leftover(1, null, spoken) // the crash came before the beep: no mark
    leftover(2, {}, spoken.subarray(0, 30)) // the recording stops inside its header
    leftover(3, {}, Buffer.from('not a recording at all, but named like one')) // not a WAV
    leftover(4, '{"messageId": "vm_x", "box": ', spoken) // a mark cut short
    leftover(5, { recordFrom: -5 }, spoken) // a mark that is not one
    leftover(6, {}, recording([{ hz: null, ms: 5000 }])) // the caller said nothing
    leftover(7, {}, null) // no recording at all
    // Kept before the crash (the crash came between keeping it and removing the mark): not kept again.
    const already = leftover(8, { caller: '+13125550108' }, spoken)
    await saveMessage(
      svc.service.ctx,
      { lineId: line.lineId, accountId: line.accountId, box },
      {
        id: already,
        caller: '+13125550108',
        callerName: null,
        reason: 'no-answer',
        durationMs: 3000,
        audio: spoken
      }
    )
    // A recording cut in the middle of a sample (a writer killed mid-write): the whole samples are kept.
    const ragged = leftover(9, { caller: '+13125550109' }, Buffer.concat([spoken, Buffer.from([7])]))

    // A recording that cannot be kept (sox cannot write its output): kept aside for an operator, not deleted.
    leftover(10, { caller: '+13125550110' }, spoken)
    mkdirSync(join(work, 'lines', '10', 'recovered.wav'))

    // Named like newer recordings, a folder and a FIFO: passed over, the recording kept. A writer opens the FIFO
    // after 10 s, so a start that opened it (and blocked there) goes on and fails on its time, not the test's.
    const beside = leftover(11, { caller: '+13125550111' }, spoken)
    mkdirSync(join(work, 'lines', '11', 'rec', 'dump-zz-dir-dec.wav'))
    const fifo = join(work, 'lines', '11', 'rec', 'dump-zz-fifo-dec.wav')
    execFileSync('mkfifo', [fifo])
    writer = spawn('sh', ['-c', 'sleep 10; exec 3>"$0"', fifo], { stdio: 'ignore' })

    // The mark's line now has another box (its number changed), and the mark's box is another line's: set aside,
    // kept in neither line.
    leftover(12, { caller: '+13125550112', box: otherBox }, spoken)
    // The mark's line is not there at all: set aside.
    leftover(13, { caller: '+13125550113', lineId: 'lin_gone' }, spoken)

    // A caller's name (and number) longer than a mark keeps, from their From header: cut when the mark is written.
    mkdirSync(join(work, 'lines', '14', 'rec'), { recursive: true })
    const long = writeMark(join(work, 'lines', '14'), {
      messageId: newId('vm'),
      lineId: line.lineId,
      accountId: line.accountId,
      box,
      caller: `sip-name-${'c'.repeat(400)}`,
      callerName: `Grace ${'\u00e9'.repeat(400)}`,
      reason: 'busy',
      recordFrom: 2000,
      markedAt: markedAt.toISOString()
    })
    writeFileSync(
      join(work, 'lines', '14', 'rec', 'dump-sip:caller@127.0.0.1-20260102-030405-dec.wav'),
      spoken
    )

    const rtp = await freePortBlock(20)
    const startedAt = Date.now()
    const vm = await startVoicemail(
      svc.service.ctx,
      { host: '127.0.0.1', port: await freePort(), lines: 1, rtpPort: rtp, trusted: ['127.0.0.1'] },
      work
    )
    try {
      expect(Date.now() - startedAt).toBeLessThan(9000)
      const list = await listMessages(svc.service.ctx, { lineId: line.lineId })
      expect(list.map((m) => m.id).sort()).toEqual([good, already, ragged, beside, long.messageId].sort())
      expect(await listMessages(svc.service.ctx, { lineId: other.lineId })).toEqual([])
      expect(list.find((m) => m.id === beside)?.durationMs).toBe(3000)
      const cutShort = list.find((m) => m.id === long.messageId)
      expect(cutShort?.callerName).toBe(`Grace ${'\u00e9'.repeat(MAX_CALLER - 6)}`)
      expect(cutShort?.caller).toHaveLength(MAX_CALLER)
      const kept = list.find((m) => m.id === good)
      expect(kept).toMatchObject({ caller: '+13125550100', reason: 'no-answer', heard: false })
      expect(kept?.durationMs).toBe(3000)
      // Dated when the caller stopped speaking: the beep's end plus the message.
      expect(kept?.receivedAt).toBe(new Date(markedAt.getTime() + 3000).toISOString())
      const row = await svc.service.ctx.db
        .selectFrom('voicemail_messages')
        .select('audio')
        .where('id', '=', good)
        .executeTakeFirstOrThrow()
      const samples = wavSamples(row.audio)
      expect(samples.length).toBe(3 * 8000)
      expect(toneShare(samples, 700)).toBeGreaterThan(0.9)
      expect(toneShare(samples, 300)).toBeLessThan(0.01)
      expect(list.find((m) => m.id === ragged)?.durationMs).toBe(3000)
      // What could not be a message is said so, and the folders are fresh ones.
      expect(svc.logged.join('\n')).toMatch(/voicemail line 4: .*is not a deposit's mark/)
      expect(readdirSync(join(work, 'lines')).sort()).toEqual(['0'])
      expect(existsSync(join(work, 'lines', '0', 'deposit.json'))).toBe(false)
      const aside = readdirSync(join(work, 'unrecovered'))
      expect(aside.map((a) => a.replace(/^.*-line/, 'line')).sort()).toEqual(['line10', 'line12', 'line13'])
      for (const a of aside) {
        expect(existsSync(join(work, 'unrecovered', a, 'deposit.json'))).toBe(true)
        expect(readdirSync(join(work, 'unrecovered', a, 'rec'))).toContain(
          'dump-sip:caller@127.0.0.1-20260102-030405-dec.wav'
        )
      }
      const logged = svc.logged.join('\n')
      expect(logged).toMatch(/voicemail line 10: .*could not be kept .*unrecovered/)
      // The line by its id, not by its box: a box is a phone number, and numbers stay out of logs.
      expect(numbersIn(svc.logged)).toEqual([])
      expect(logged).toMatch(
        new RegExp(`voicemail line 12: .*\\(its line ${line.lineId} has another number now\\); .*unrecovered`)
      )
      expect(logged).toMatch(/voicemail line 13: .*lin_gone is not there.*unrecovered/)
    } finally {
      await vm.stop()
    }
  }, 60_000)

  it('at a call’s start on its line (baresip running there), sets aside only the mark and the recordings', async () => {
    // A line's folder as a running server has it, with a mark whose line now has another box.
    const dir = join(work, 'lines', '1')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'config'), 'baresip config')
    const spoken = recording([{ hz: 700, ms: 3000 }])
    leftover(1, { box: otherBox, recordFrom: 0 }, spoken)
    await recoverLine(svc.service.ctx, dir, '1', { live: true })
    expect(readdirSync(dir).sort()).toEqual(['config', 'rec'])
    expect(readdirSync(join(dir, 'rec'))).toEqual([])
    const aside = readdirSync(join(work, 'unrecovered')).filter((a) => a.endsWith('-line1'))
    expect(aside).toHaveLength(1)
    expect(readdirSync(join(work, 'unrecovered', aside[0] ?? '')).sort()).toEqual(['deposit.json', 'rec'])
    expect(svc.logged.join('\n')).toMatch(
      /voicemail line 1: .*when its call ended could not be kept .*unrecovered/
    )
    // A mark whose line is as it was: kept, and the mark gone.
    const id = leftover(1, { recordFrom: 0 }, spoken)
    await recoverLine(svc.service.ctx, dir, '1', { live: true })
    expect(readdirSync(dir)).not.toContain('deposit.json')
    expect((await listMessages(svc.service.ctx, { lineId: line.lineId })).map((m) => m.id)).toContain(id)
  }, 30_000)

  it('says which line a mark is for by its id, never by its box (a phone number)', async () => {
    const spoken = recording([{ hz: 700, ms: 3000 }])
    const from = svc.logged.length
    // The mark's line has another number now, and another account than the mark's.
    const moved = join(work, 'lines', '2')
    leftover(2, { box: otherBox, accountId: other.accountId }, spoken)
    await recoverLine(svc.service.ctx, moved, '2', { live: false })
    // The mark's line closed (its box went with it): not kept, said so.
    const closing = await trialLine(svc)
    const closingBox = (
      await svc.service.ctx.db
        .selectFrom('sip_accounts')
        .select('username')
        .where('line_id', '=', closing.lineId)
        .executeTakeFirstOrThrow()
    ).username
    await svc.service.ctx.db
      .updateTable('lines')
      .set({ status: 'closed' })
      .where('id', '=', closing.lineId)
      .execute()
    const closed = join(work, 'lines', '3')
    leftover(3, { lineId: closing.lineId, accountId: closing.accountId, box: closingBox }, spoken)
    await recoverLine(svc.service.ctx, closed, '3', { live: false })
    const said = svc.logged.slice(from)
    expect(numbersIn(said)).toEqual([])
    expect(said.filter((l) => l.includes(closingBox))).toEqual([])
    expect(said.join('\n')).toMatch(
      new RegExp(
        `voicemail line 2: .*\\(its line ${line.lineId} has another number now and is account ${line.accountId}'s now, not ${other.accountId}'s\\)`
      )
    )
    expect(said.join('\n')).toMatch(
      new RegExp(`voicemail line 3: a message left for line ${closing.lineId} is not kept: its line closed`)
    )
  }, 30_000)
})
