/**
 * What a voicemail call does, driven over one baresip slot's control connection:
 *   deposit  - answer, play the line's greeting (or the default) and a beep, record until # / hang-up / the
 *              length limit, store the caller's audio as a message (the lamp lights); a full box hears so instead;
 *   retrieve - "You have N new messages", each new message then the menu: 7 deletes, 9 saves, # next (a message
 *              played is heard either way); 8 records a new greeting (# ends it; silence or too long is refused
 *              in words and the old greeting stays).
 * Where a message or greeting starts and ends is read from baresip's recording itself (its length when the beep
 * ends, and at #), not from the wall clock, which drifts from the audio when packets are late or lost.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServiceContext } from '../context'
import { SILENCE_PEAK, cut, durationMs, levels, positionMs } from './audio'
import type { BaresipEvent, BaresipSlot } from './baresip-slot'
import { VOICEMAIL_LIMITS } from './limits'
import type { Prompts } from './prompts'
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
  saveMessage,
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

export class CallRunner {
  private plays = 0

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

  /** Runs the call from CALL_INCOMING to CALL_CLOSED. */
  async run(): Promise<void> {
    const box = await findBox(this.ctx, this.session.box)
    if (!box) {
      this.hangup()
      this.done()
      return
    }
    await purgeOld(this.ctx, box.lineId)
    this.slot.clearRecordings()
    const established = new Promise<void>((resolve) => {
      const on = (e: BaresipEvent): void => {
        if (e.id !== this.session.callId) return
        if (e.type === 'CALL_ESTABLISHED' || e.type === 'CALL_CLOSED') {
          this.slot.off('event', on)
          resolve()
        }
      }
      this.slot.on('event', on)
    })
    let flow: Flow | null = null
    let closed = false
    const onEvent = (e: BaresipEvent): void => {
      if (e.id !== this.session.callId) return
      if (e.type === 'CALL_DTMF_START' && e.param && flow) flow.onDtmf(e.param)
      if (e.type === 'CALL_CLOSED' && !closed) {
        closed = true
        this.slot.off('event', onEvent)
        for (const t of this.timers) clearTimeout(t)
        void (flow?.onClosed() ?? Promise.resolve())
          .catch((err: unknown) => this.ctx.log.error(`voicemail: after a call: ${String(err)}`))
          .finally(() => this.done())
      }
    }
    this.slot.on('event', onEvent)
    await this.slot.command('accept')
    await established
    if (closed) return
    flow = this.session.kind === 'deposit' ? await this.deposit(box) : await this.retrieve(box)
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
    // Where the message starts in the recording: its own length when the beep ends.
    let recordFrom: number | null = null
    this.after(played, () => {
      recordFrom = positionMs(this.slot.lastRecording())
    })
    this.after(played + VOICEMAIL_LIMITS.maxMessageS * 1000, () => this.hangup())
    return {
      onDtmf: (key) => {
        if (key === '#' && recordFrom !== null) this.hangup()
      },
      onClosed: async () => {
        if (recordFrom === null) return
        const rec = this.slot.lastRecording()
        if (!rec) return
        const out = join(this.slot.o.dir, 'message.wav')
        const ms = await cut(rec, out, recordFrom, recordFrom + VOICEMAIL_LIMITS.maxMessageS * 1000)
        // A caller who hung up at the beep, or said nothing, left no message.
        if (ms < VOICEMAIL_LIMITS.minMessageMs || (await levels(out)).peak < SILENCE_PEAK) return
        await saveMessage(this.ctx, box, {
          caller: this.session.caller,
          callerName: this.session.callerName,
          reason: this.session.reason,
          durationMs: ms,
          audio: readFileSync(out)
        })
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
