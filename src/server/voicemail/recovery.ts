/**
 * A message being recorded when the voicemail server goes is kept, not lost (docs/voicemail.md, "When the server
 * stops"). Shared by the deposit flow (./call-flows.ts) and the server's start (./server.ts).
 *
 * When the beep ends, the deposit flow writes a mark next to its line's recording (`lines/<n>/deposit.json`,
 * written whole then renamed): the message's id (chosen then), the line's id, its account and box (SIP username)
 * then, the caller and the caller's name (cut to MAX_CALLER, as they are read back), the reason, where the message
 * starts in baresip's recording (the recording's own length at that moment, as for every message) and when that
 * was. The call's end keeps the message (keepMessage) and then removes the mark; a stop ends every call that way
 * first. So a mark found when the server starts is a deposit whose end never ran: the service crashed (its
 * baresips died with it, given the parent-death signal: ./baresip-slot.ts; their recordings stop where the call
 * was, the WAV header's sizes never filled in) or a stop ran out of time. A mark found when a call starts on its
 * line is a deposit whose keeping failed at its end (the database, sox). Either keeps that message (recoverLine)
 * with the same rules as a call that ended (cut from the mark, at most VOICEMAIL_LIMITS.maxMessageS, nothing if
 * under minMessageMs or silence) and the same id, so a message kept just before the crash is not kept twice; it is
 * dated when the caller stopped speaking (the mark's time plus its length), not when it was found. Then the lines'
 * folders are removed (at a start) or cleared for the call (at a call's start) as before.
 *
 * The box is found by the line's id, not by the box: a line's SIP username follows its number, which can change or
 * pass to another line before the mark is read. The line's account and box must still be the mark's; if not (the
 * number changed, the line changed hands) the message is set aside, as is one whose line is not there at all. A
 * message whose line closed is not kept: the line's box went with it.
 *
 * Without a mark there is no message to keep: the recording holds the greeting's time too (the caller's silence, or
 * their voice over it), and nothing in the audio says where the beep was. That is also what a call that ends before
 * the beep leaves today: the caller was never asked to speak. (A crash in the instant between the beep's end and the
 * mark's write loses that one message.)
 *
 * Nothing unreadable stops the start: a mark that is not one (bad JSON, wrong fields, too big) or a recording that
 * is missing, not a WAV, or cut short keeps what it can (a WAV cut short keeps the samples it has) or nothing, and
 * says so in the log. A line whose message could not be kept for another reason (the database refused it, sox
 * failed, its line is not the mark's) is moved to `<work>/unrecovered/` rather than deleted (at a call's start, with
 * baresip running on the folder, only the mark and the recordings), the newest MAX_UNRECOVERED of them kept.
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
import { type VoicemailBox, boxById, saveMessage } from './store'

/** What a deposit past its beep is: enough to keep the message without the call. */
export interface DepositMark {
  readonly messageId: string
  /** The line the message is for (its id: its number and SIP username can change). */
  readonly lineId: string
  /** The line's account and box (SIP username) when the message began. */
  readonly accountId: string
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
/** The longest caller and caller's name a mark keeps (they come from the caller's From header, unbounded). */
export const MAX_CALLER = 256
/** A mark is at most a few KB (two MAX_CALLER fields, escaped in JSON); a bigger file is not one. */
const MAX_MARK_BYTES = 16_384
/** A message starts after the greeting (at most maxGreetingS) and the beep: far less than this into its recording. */
const MAX_RECORD_FROM_MS = 10 * 60_000
/** Lines' folders kept aside after a failed recovery, the newest first; older ones are removed. */
const MAX_UNRECOVERED = 10

/** At most `max` UTF-16 units, not ending in half a surrogate pair. */
function bounded(s: string, max: number): string {
  const head = s.slice(0, max)
  return /[\uD800-\uDBFF]$/.test(head) && s.length > max ? head.slice(0, -1) : head
}

/** The mark as it is written and read back: the caller and the caller's name cut to MAX_CALLER. */
export function boundMark(mark: DepositMark): DepositMark {
  const name = mark.callerName === null ? null : bounded(mark.callerName, MAX_CALLER)
  return {
    ...mark,
    caller: bounded(mark.caller, MAX_CALLER) || 'anonymous',
    callerName: name || null
  }
}

/** Writes the line's mark (bounded: boundMark), whole then renamed; returns it as written. */
export function writeMark(lineDir: string, mark: DepositMark): DepositMark {
  const m = boundMark(mark)
  const tmp = join(lineDir, `${MARK}.tmp`)
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, JSON.stringify(m))
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, join(lineDir, MARK))
  return m
}

export function clearMark(lineDir: string): void {
  rmSync(join(lineDir, MARK), { force: true })
}

const text = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max
const ID = /^[A-Za-z0-9_-]+$/

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
    !text(m.lineId, 64) ||
    !ID.test(m.lineId) ||
    !text(m.accountId, 64) ||
    !ID.test(m.accountId) ||
    !text(m.box, 15) ||
    !/^\d{6,15}$/.test(m.box) ||
    !text(m.caller, MAX_CALLER) ||
    !(m.callerName === null || text(m.callerName, MAX_CALLER)) ||
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
    lineId: m.lineId,
    accountId: m.accountId,
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

/**
 * Moves a line's folder aside (see the header), keeping the newest MAX_UNRECOVERED. `live`: its baresip runs on it,
 * so only its mark and recordings move.
 */
function setAside(lineDir: string, name: string, live: boolean): string {
  const aside = join(dirname(dirname(lineDir)), 'unrecovered')
  mkdirSync(aside, { recursive: true })
  const to = join(aside, `${new Date().toISOString().replace(/[:.]/g, '-')}-line${name}`)
  if (live) {
    const rec = join(lineDir, 'rec')
    mkdirSync(join(to, 'rec'), { recursive: true })
    renameSync(join(lineDir, MARK), join(to, MARK))
    for (const f of readdirSync(rec)) renameSync(join(rec, f), join(to, 'rec', f))
  } else renameSync(lineDir, to)
  const kept = readdirSync(aside).sort().reverse()
  for (const old of kept.slice(MAX_UNRECOVERED)) rmSync(join(aside, old), { recursive: true, force: true })
  return to
}

/** An error on one line of the log (sox's own messages come after a newline). */
export const said = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim()

/**
 * Keeps the message of the line's mark, if it has one (see the header): at the server's start (`live` false) or
 * at the start of a call on that line (`live`: its baresip is running). Never throws; afterwards the mark is gone
 * (kept, set aside, or not one) unless even setting it aside failed (said in the log), and the caller clears the
 * folder as before.
 */
export async function recoverLine(
  ctx: ServiceContext,
  dir: string,
  name: string,
  opts: { live: boolean }
): Promise<void> {
  const when = opts.live ? 'when its call ended' : 'when the server stopped'
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
    if (opts.live) clearMark(dir)
    return
  }
  const aside = (why: string, level: 'warn' | 'error'): void => {
    let where: string
    try {
      where = `its recording is in ${setAside(dir, name, opts.live)}`
    } catch (err) {
      where = `setting its recording aside failed too (${said(err)}), so it is lost`
    }
    ctx.log[level](
      `voicemail line ${name}: the message (${mark.messageId}) being recorded ${when} could not be kept (${why}); ${where}`
    )
  }
  let line: Awaited<ReturnType<typeof boxById>>
  try {
    line = await boxById(ctx, mark.lineId)
  } catch (err) {
    return aside(`the database: ${said(err)}`, 'error')
  }
  if (line?.closed) {
    ctx.log.warn(
      `voicemail line ${name}: a message left for line ${mark.lineId} is not kept: its line closed (its box went with it)`
    )
    if (opts.live) clearMark(dir)
    return
  }
  if (!line) return aside(`its line ${mark.lineId} is not there`, 'warn')
  // Said without the boxes: a box is the line's phone number, and numbers stay out of logs (docs/service.md).
  if (line.box !== mark.box || line.accountId !== mark.accountId) {
    const changed = [
      line.box === mark.box ? null : line.box === null ? 'has no box now' : 'has another number now',
      line.accountId === mark.accountId ? null : `is account ${line.accountId}'s now, not ${mark.accountId}'s`
    ]
    return aside(`its line ${mark.lineId} ${changed.filter((c) => c !== null).join(' and ')}`, 'warn')
  }
  const box: VoicemailBox = { lineId: mark.lineId, accountId: line.accountId, box: line.box }
  const recording = lastRecordingIn(join(dir, 'rec'))
  try {
    const ms = recording
      ? await keepMessage(ctx, box, mark, recording, join(dir, 'recovered.wav'), { dated: 'spoken' })
      : 0
    ctx.log.info(
      ms > 0
        ? `voicemail line ${name}: kept the message being recorded ${when} (${ms} ms, ${mark.messageId})`
        : `voicemail line ${name}: the call being recorded ${when} left no message (${recording ? 'silence, or too short' : 'no recording'})`
    )
  } catch (err) {
    return aside(said(err), 'error')
  }
  if (opts.live) clearMark(dir)
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
  for (const name of names) await recoverLine(ctx, join(linesDir, name), name, { live: false })
}
