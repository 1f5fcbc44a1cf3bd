/**
 * The voicemail server's spoken prompts, made by espeak-ng at start into the server's work folder (nothing
 * recorded is committed), plus the beep and silences. Every file baresip plays ends in a long silence: baresip's
 * aufile source ends the call when its file runs out, so the flows switch files before that ever happens.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { concat, silence, speak, tone } from './audio'
import { VOICEMAIL_LIMITS } from './limits'

export const PROMPT_TEXT = {
  defaultGreeting:
    'The person you are calling is not available. Please leave a message after the tone. Press pound when you are done.',
  boxFull: 'Sorry. This mailbox is full and cannot take any more messages. Goodbye.',
  noNew: 'You have no new messages.',
  menu: 'To delete this message, press 7. To save it, press 9. For the next message, press pound.',
  deleted: 'Message deleted.',
  saved: 'Message saved.',
  end: 'End of messages. To record your greeting, press 8. Otherwise, hang up.',
  recordGreeting: 'Record your greeting after the tone. Press pound when you are done.',
  greetingSaved: 'Your greeting is saved. Goodbye.',
  greetingSilent: 'Nothing was heard, so your greeting was not changed. Goodbye.',
  greetingTooLong: `That greeting is too long. It can last at most ${VOICEMAIL_LIMITS.maxGreetingS} seconds. Your greeting was not changed. Goodbye.`,
  goodbye: 'Goodbye.'
} as const

export type PromptName = keyof typeof PROMPT_TEXT | 'beep' | 'silence'

export class Prompts {
  constructor(readonly dir: string) {}

  file(name: PromptName): string {
    return join(this.dir, `${name}.wav`)
  }

  async make(): Promise<void> {
    mkdirSync(this.dir, { recursive: true })
    for (const [name, text] of Object.entries(PROMPT_TEXT)) {
      const f = this.file(name as PromptName)
      if (!existsSync(f)) await speak(text, f)
    }
    await tone(this.file('beep'), 0.5, 1000)
    // Long enough for the longest message plus margins: the tail after every played file.
    await silence(this.file('silence'), VOICEMAIL_LIMITS.maxMessageS + 30)
  }

  /** "You have 3 new messages." spoken once per count and kept. */
  async newCount(n: number): Promise<string> {
    const f = join(this.dir, `new-${n}.wav`)
    if (!existsSync(f)) await speak(`You have ${n} new ${n === 1 ? 'message' : 'messages'}.`, f)
    return f
  }

  /** parts played in order, then silence: one file for baresip to play. */
  async sequence(out: string, parts: readonly string[]): Promise<void> {
    await concat([...parts, this.file('silence')], out)
  }
}
