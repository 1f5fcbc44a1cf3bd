/**
 * What a voicemail call does, driven over one baresip slot's control connection:
 *   deposit  - answer, play the line's greeting (or the default) and a beep, record until # / hang-up / the
 *              length limit, store the caller's audio as a message (the lamp lights); a full box hears so instead;
 *   retrieve - "You have N new messages", each new message then the menu: 7 deletes, 9 saves, # next (a message
 *              played is heard either way); 8 records a new greeting (# ends it; silence or too long is refused
 *              in words and the old greeting stays).
 * Where a message or greeting starts and ends is read from baresip's recording itself (its length when the beep
 * ends, and at #), not from the wall clock, which drifts from the audio when packets are late or lost.
 * A deposit past its beep leaves a mark beside the recording until the message is kept, so a crash loses nothing
 * (./recovery.ts), nor a keep that fails at the call's end: the line's next call keeps that message before it
 * clears the line's folder. A stopping server ends each call with end(), as if the caller had hung up then.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServiceContext } from '../context'
import { newId } from '../secrets'
import { SILENCE_PEAK, cut, durationMs, levels, positionMs } from './audio'
import type { BaresipEvent, BaresipSlot } from './baresip-slot'
import { VOICEMAIL_LIMITS } from './limits'
import type { Prompts } from './prompts'
import { type DepositMark, boundMark, clearMark, keepMessage, recoverLine, said, writeMark } from './recovery'
import {
  type VoicemailBox,
  deleteMessage,
  findBox,
  greeting,
  isFull,
  listMessages,
  markHeard,
  messageAudio,
  purgeOld,
  saveGreeting,
  usage
} from './store'

export interface CallSession {
  readonly callId: string
  readonly kind: 'deposit' | 'retrieve'
  readonly reason: string
  readonly box: string
  readonly caller: string
  readonly callerName: string | null
}

interface Flow {
  onDtmf(key: string): void
  onClosed(): Promise<void>
}

/** How long end() waits for baresip to say the call it hung up is closed before closing it on its own. */
const HANGUP_WAIT_MS = 2000

const sleep = (ms: number): { done: Promise<void>; cancel: () => void } => {
  let t: NodeJS.Timeout | undefined
  const done = new Promise<void>((r) => (t = setTimeout(r, Math.max(0, ms))))
  return { done, cancel: () => clearTimeout(t) }
}

export class CallRunner {
  private plays = 0
  private flow: Flow | null = null
  private closed = false
  private markClosed: () => void = () => undefined
  private readonly closedNow = new Promise<void>((r) => (this.markClosed = r))
  private markEstablished: () => void = () => undefined
  private readonly established = new Promise<void>((r) => (this.markEstablished = r))
  /** The call's end: the flow's onClosed (a message kept) and done(); set when the call closes. */
  private finished: Promise<void> | null = null

  constructor(
    private readonly ctx: ServiceContext,
    private readonly slot: BaresipSlot,
    private readonly prompts: Prompts,
    private readonly session: CallSession,
    private readonly done: () => void
  ) {}

  private readonly timers = new Set<NodeJS.Timeout>()

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  /** Plays parts in order (then silence); resolves when baresip switched, with the parts' total length. */
  private async play(parts: readonly string[]): Promise<number> {
    const out = join(this.slot.o.dir, `play-${++this.plays}.wav`)
    await this.prompts.sequence(out, parts)
    let total = 0
    for (const p of parts) total += await durationMs(p)
    await this.slot.command('ausrc', `aufile,${out}`)
    return total
  }

  private hangup(): void {
    this.slot.command('hangup').catch(() => undefined)
  }

  private readonly onEvent = (e: BaresipEvent): void => {
    if (e.id !== this.session.callId) return
    if (e.type === 'CALL_ESTABLISHED') this.markEstablished()
    if (e.type === 'CALL_DTMF_START' && e.param && this.flow) this.flow.onDtmf(e.param)
    if (e.type === 'CALL_CLOSED') this.close()
  }

  /**
   * The call is over (baresip said so, end() gave up waiting, or the line's baresip died): the flow finishes it,
   * once, on the recording as far as it got.
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.slot.off('event', this.onEvent)
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.markClosed()
    this.finished = (this.flow?.onClosed() ?? Promise.resolve())
      .catch((err: unknown) => this.ctx.log.error(`voicemail: after a call: ${String(err)}`))
      .finally(() => this.done())
  }

  /** Runs the call from CALL_INCOMING to CALL_CLOSED. */
  async run(): Promise<void> {
    this.slot.on('event', this.onEvent)
    // The last call's message, if keeping it failed at its end (its mark is still there): kept (or set aside) first.
    await recoverLine(this.ctx, this.slot.o.dir, String(this.slot.o.index), { live: true })
    const box = await findBox(this.ctx, this.session.box)
    if (this.closed) return
    if (!box) {
      this.hangup()
      this.close()
      return
    }
    await purgeOld(this.ctx, box.lineId)
    if (this.closed) return
    this.slot.clearRecordings()
    clearMark(this.slot.o.dir)
    await this.slot.command('accept')
    await Promise.race([this.established, this.closedNow])
    if (this.closed) return
    const flow = this.session.kind === 'deposit' ? await this.deposit(box) : await this.retrieve(box)
    if (this.closed) {
      // Closed while the flow was being set up (before any beep): nothing of it is left to run.
      for (const t of this.timers) clearTimeout(t)
      this.timers.clear()
      return
    }
    this.flow = flow
  }

  /**
   * The server is stopping: ends the call now, as if the caller had hung up (a message being recorded is kept),
   * and resolves once the call's end has run, or after `ms` whatever happened (the mark then keeps the message
   * for the next start: ./recovery.ts).
   */
  async end(ms: number): Promise<void> {
    const deadline = Date.now() + ms
    if (!this.closed) {
      await this.slot.command('hangup')
      const wait = sleep(Math.min(HANGUP_WAIT_MS, deadline - Date.now()))
      await Promise.race([this.closedNow, wait.done])
      wait.cancel()
      // baresip did not say so in time: the call ends here, on the recording as it stands.
      this.close()
    }
    const wait = sleep(deadline - Date.now())
    await Promise.race([this.finished, wait.done])
    wait.cancel()
  }

  private async deposit(box: VoicemailBox): Promise<Flow> {
    if (isFull(await usage(this.ctx, box.lineId))) {
      const ms = await this.play([this.prompts.file('boxFull')])
      this.after(ms + 400, () => this.hangup())
      return { onDtmf: () => undefined, onClosed: async () => undefined }
    }
    const own = await greeting(this.ctx, box.lineId)
    const greetingFile = own ? join(this.slot.o.dir, 'greeting.wav') : this.prompts.file('defaultGreeting')
    if (own) writeFileSync(greetingFile, own)
    const played = await this.play([greetingFile, this.prompts.file('beep')])
    const dir = this.slot.o.dir
    // Where the message starts in the recording: its own length when the beep ends. Marked on disk at once, so
    // a crash from then on loses nothing (./recovery.ts).
    let mark: DepositMark | null = null
    this.after(played, () => {
      mark = boundMark({
        messageId: newId('vm'),
        lineId: box.lineId,
        accountId: box.accountId,
        box: box.box,
        caller: this.session.caller,
        callerName: this.session.callerName,
        reason: this.session.reason,
        recordFrom: positionMs(this.slot.lastRecording()),
        markedAt: this.ctx.clock.now().toISOString()
      })
      try {
        writeMark(dir, mark)
      } catch (err) {
        this.ctx.log.error(`voicemail: the mark of a message being recorded: ${String(err)}`)
      }
    })
    this.after(played + VOICEMAIL_LIMITS.maxMessageS * 1000, () => this.hangup())
    return {
      onDtmf: (key) => {
        if (key === '#' && mark !== null) this.hangup()
      },
      onClosed: async () => {
        if (mark === null) return
        const rec = this.slot.lastRecording()
        // A caller who hung up at the beep, or said nothing, left no message (keepMessage keeps none).
        try {
          if (rec) await keepMessage(this.ctx, box, mark, rec, join(dir, 'message.wav'))
        } catch (err) {
          // The mark stays: the line's next call (or the next start) keeps the message (./recovery.ts).
          this.ctx.log.error(
            `voicemail line ${this.slot.o.index}: a message (${mark.messageId}) could not be kept at its call's end (${said(err)}); the line's next call or the next start keeps it`
          )
          return
        }
        clearMark(dir)
      }
    }
  }

  private async retrieve(box: VoicemailBox): Promise<Flow> {
    const messages = await listMessages(this.ctx, { lineId: box.lineId, onlyNew: true })
    let index = 0
    let mode: 'messages' | 'end' | 'greeting' | 'finished' = messages.length > 0 ? 'messages' : 'end'
    let greetingFrom = 0
    let busy = Promise.resolve()
    const messageFile = async (i: number): Promise<string> => {
      const m = messages[i]
      const f = join(this.slot.o.dir, `msg-${i}.wav`)
      const a = m ? await messageAudio(this.ctx, null, m.id) : null
      writeFileSync(f, a?.audio ?? Buffer.alloc(0))
      return f
    }
    const next = async (before: string[]): Promise<void> => {
      index++
      if (index < messages.length) {
        await this.play([...before, await messageFile(index), this.prompts.file('menu')])
      } else {
        mode = 'end'
        await this.play([...before, this.prompts.file('end')])
      }
    }
    const finish = async (prompt: 'greetingSaved' | 'greetingSilent' | 'greetingTooLong'): Promise<void> => {
      mode = 'finished'
      const ms = await this.play([this.prompts.file(prompt)])
      this.after(ms + 400, () => this.hangup())
    }
    const endGreeting = async (): Promise<void> => {
      if (mode !== 'greeting') return
      mode = 'finished'
      const rec = this.slot.lastRecording()
      const out = join(this.slot.o.dir, 'new-greeting.wav')
      const until = positionMs(rec)
      const ms = rec ? await cut(rec, out, greetingFrom, until) : 0
      if (ms > VOICEMAIL_LIMITS.maxGreetingS * 1000) return finish('greetingTooLong')
      if (ms < VOICEMAIL_LIMITS.minGreetingMs || (await levels(out)).peak < SILENCE_PEAK)
        return finish('greetingSilent')
      await saveGreeting(this.ctx, box, { durationMs: ms, audio: readFileSync(out) })
      return finish('greetingSaved')
    }
    const onKey = async (key: string): Promise<void> => {
      if (mode === 'finished') return
      if (mode === 'greeting') {
        if (key === '#') await endGreeting()
        return
      }
      if (key === '8') {
        mode = 'greeting'
        const ms = await this.play([this.prompts.file('recordGreeting'), this.prompts.file('beep')])
        greetingFrom = Number.POSITIVE_INFINITY
        this.after(ms, () => {
          greetingFrom = positionMs(this.slot.lastRecording())
        })
        // Longer than the limit by a margin: the limit is then refused in words, not cut silently.
        this.after(ms + (VOICEMAIL_LIMITS.maxGreetingS + 5) * 1000, () =>
          endGreeting().catch((err: unknown) => this.ctx.log.error(`voicemail: greeting: ${String(err)}`))
        )
        return
      }
      const current = messages[index]
      if (mode !== 'messages' || !current) return
      if (key === '7') {
        await deleteMessage(this.ctx, box.accountId, current.id)
        await next([this.prompts.file('deleted')])
      } else if (key === '9') {
        await markHeard(this.ctx, box.accountId, current.id)
        await next([this.prompts.file('saved')])
      } else if (key === '#') {
        await markHeard(this.ctx, box.accountId, current.id)
        await next([])
      }
    }
    if (messages.length > 0)
      await this.play([
        await this.prompts.newCount(messages.length),
        await messageFile(0),
        this.prompts.file('menu')
      ])
    else await this.play([this.prompts.file('noNew'), this.prompts.file('end')])
    // Keys are handled one at a time, in the order pressed.
    return {
      onDtmf: (key) => {
        busy = busy
          .then(() => onKey(key))
          .catch((err: unknown) => this.ctx.log.error(`voicemail: key ${key}: ${String(err)}`))
      },
      onClosed: async () => {
        await busy
      }
    }
  }
}
