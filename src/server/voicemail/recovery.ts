/**
 * A message being recorded when the voicemail server goes is kept, not lost (docs/voicemail.md, "When the server
 * stops"). Shared by the deposit flow (./call-flows.ts) and the server's start (./server.ts).
 *
 * When the beep ends, the deposit flow writes a mark next to its line's recording (`lines/<n>/deposit.json`,
 * written whole then renamed): the message's id (chosen then), the box, the caller, the caller's name, the reason,
 * where the message starts in baresip's recording (the recording's own length at that moment, as for every message)
 * and when that was. The call's end keeps the message (keepMessage) and then removes the mark; a stop ends every
 * call that way first. So a mark found when the server starts is a deposit whose end never ran: the service crashed
 * (its baresips died with it, given the parent-death signal: ./baresip-slot.ts; their recordings stop where the
 * call was, the WAV header's sizes never filled in) or a stop ran out of time. The start keeps that message with the same rules as a call that ended (cut from the mark, at
 * most VOICEMAIL_LIMITS.maxMessageS, nothing if under minMessageMs or silence) and the same id, so a message kept
 * just before the crash is not kept twice; it is dated when the caller stopped speaking (the mark's time plus its
 * length), not when the server came back. Then the lines' folders are removed as before.
 *
 * Without a mark there is no message to keep: the recording holds the greeting's time too (the caller's silence, or
 * their voice over it), and nothing in the audio says where the beep was. That is also what a call that ends before
 * the beep leaves today: the caller was never asked to speak. (A crash in the instant between the beep's end and the
 * mark's write loses that one message.)
 *
 * Nothing unreadable stops the start: a mark that is not one (bad JSON, wrong fields, too big) or a recording that
 * is missing, not a WAV, or cut short keeps what it can (a WAV cut short keeps the samples it has) or nothing, and
 * says so in the log. A line whose message could not be kept for another reason (the database refused it, sox
 * failed) is moved to `<work>/unrecovered/` rather than deleted, the newest MAX_UNRECOVERED of them kept.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import type { ServiceContext } from '../context'
import { SILENCE_PEAK, cut, levels } from './audio'
import { lastRecordingIn } from './baresip-slot'
import { VOICEMAIL_LIMITS } from './limits'
import { DEPOSIT_REASONS } from './sip-front'
import { type VoicemailBox, findBox, saveMessage } from './store'

/** What a deposit past its beep is: enough to keep the message without the call. */
export interface DepositMark {
  readonly messageId: string
  readonly box: string
  readonly caller: string
  readonly callerName: string | null
  readonly reason: string
  /** Where the message starts in the recording, in ms of its audio (the beep's end). */
  readonly recordFrom: number
  /** When the beep ended (ISO). */
  readonly markedAt: string
}

const MARK = 'deposit.json'
/** A mark is a few hundred bytes; a bigger file is not one. */
const MAX_MARK_BYTES = 4096
/** A message starts after the greeting (at most maxGreetingS) and the beep: far less than this into its recording. */
const MAX_RECORD_FROM_MS = 10 * 60_000
/** Lines' folders kept aside after a failed recovery, the newest first; older ones are removed. */
const MAX_UNRECOVERED = 10

export function writeMark(lineDir: string, mark: DepositMark): void {
  const tmp = join(lineDir, `${MARK}.tmp`)
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, JSON.stringify(mark))
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, join(lineDir, MARK))
}

export function clearMark(lineDir: string): void {
  rmSync(join(lineDir, MARK), { force: true })
}

const text = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max

/** The line's mark, or null: none, or not one (see the header). */
export function readMark(lineDir: string): DepositMark | null {
  const file = join(lineDir, MARK)
  let raw: unknown
  try {
    if (statSync(file).size > MAX_MARK_BYTES) return null
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
  if (typeof raw !== 'object' || raw === null) return null
  const m = raw as Record<string, unknown>
  if (
    !text(m.messageId, 64) ||
    !/^vm_[A-Za-z0-9_-]+$/.test(m.messageId) ||
    !text(m.box, 15) ||
    !/^\d{6,15}$/.test(m.box) ||
    !text(m.caller, 256) ||
    !(m.callerName === null || text(m.callerName, 256)) ||
    !(DEPOSIT_REASONS as readonly unknown[]).includes(m.reason) ||
    typeof m.recordFrom !== 'number' ||
    !Number.isFinite(m.recordFrom) ||
    m.recordFrom < 0 ||
    m.recordFrom > MAX_RECORD_FROM_MS ||
    !text(m.markedAt, 40) ||
    Number.isNaN(Date.parse(m.markedAt))
  )
    return null
  return {
    messageId: m.messageId,
    box: m.box,
    caller: m.caller,
    callerName: m.callerName,
    reason: m.reason as string,
    recordFrom: m.recordFrom,
    markedAt: new Date(m.markedAt).toISOString()
  }
}

/**
 * The message in `recording` from the mark on, stored in the box unless it holds nothing (under minMessageMs, or
 * silence: a caller who hung up at the beep or said nothing). `work` is a scratch file. Returns its length in ms, 0
 * when nothing was kept.
 */
export async function keepMessage(
  ctx: ServiceContext,
  box: VoicemailBox,
  mark: DepositMark,
  recording: string,
  work: string,
  opts: { dated?: 'now' | 'spoken' } = {}
): Promise<number> {
  const ms = await cut(
    recording,
    work,
    mark.recordFrom,
    mark.recordFrom + VOICEMAIL_LIMITS.maxMessageS * 1000
  )
  if (ms < VOICEMAIL_LIMITS.minMessageMs || (await levels(work)).peak < SILENCE_PEAK) return 0
  await saveMessage(ctx, box, {
    id: mark.messageId,
    ...(opts.dated === 'spoken'
      ? { receivedAt: new Date(Date.parse(mark.markedAt) + ms).toISOString() }
      : {}),
    caller: mark.caller,
    callerName: mark.callerName,
    reason: mark.reason,
    durationMs: ms,
    audio: readFileSync(work)
  })
  return ms
}

/** Moves a line's folder aside (see the header), keeping the newest MAX_UNRECOVERED. */
function setAside(lineDir: string, name: string): string {
  const aside = join(dirname(dirname(lineDir)), 'unrecovered')
  mkdirSync(aside, { recursive: true })
  const to = join(aside, `${new Date().toISOString().replace(/[:.]/g, '-')}-line${name}`)
  renameSync(lineDir, to)
  const kept = readdirSync(aside).sort().reverse()
  for (const old of kept.slice(MAX_UNRECOVERED)) rmSync(join(aside, old), { recursive: true, force: true })
  return to
}

/**
 * Keeps the messages a crash (or a stop that ran out of time) left in the lines' folders under `linesDir`; called
 * by the server's start before it removes them. Never throws.
 */
export async function recoverLeftovers(ctx: ServiceContext, linesDir: string): Promise<void> {
  let names: string[]
  try {
    names = readdirSync(linesDir).filter((n) => /^\d{1,2}$/.test(n))
  } catch {
    return // no lines yet: a first start
  }
  for (const name of names) {
    const dir = join(linesDir, name)
    const mark = readMark(dir)
    if (!mark) {
      try {
        if (statSync(join(dir, MARK)).isFile())
          ctx.log.warn(
            `voicemail line ${name}: ${join(dir, MARK)} is not a deposit's mark; nothing kept from it`
          )
      } catch {
        /* no mark: no deposit was past its beep */
      }
      continue
    }
    const recording = lastRecordingIn(join(dir, 'rec'))
    const box = await findBox(ctx, mark.box).catch(() => undefined)
    if (box === null) {
      ctx.log.warn(
        `voicemail line ${name}: a message left for ${mark.box} is not kept: that box is gone (its line closed)`
      )
      continue
    }
    try {
      if (!box) throw new Error('the database did not answer')
      const ms = recording
        ? await keepMessage(ctx, box, mark, recording, join(dir, 'recovered.wav'), { dated: 'spoken' })
        : 0
      ctx.log.info(
        ms > 0
          ? `voicemail line ${name}: kept the message being recorded when the server stopped (${ms} ms, ${mark.messageId})`
          : `voicemail line ${name}: the call being recorded when the server stopped left no message (${recording ? 'silence, or too short' : 'no recording'})`
      )
    } catch (err) {
      let where = dir
      try {
        where = setAside(dir, name)
      } catch {
        /* left where it is; the start removes it */
      }
      ctx.log.error(
        `voicemail line ${name}: the message being recorded when the server stopped could not be kept (${err instanceof Error ? err.message : String(err)}); its recording is in ${where}`
      )
    }
  }
}
